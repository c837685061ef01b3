package mailserver.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class NetworkRangeTest {

    @Test
    void ipv4Networks() throws Exception {
        NetworkRange lan = NetworkRange.parse("192.168.10.77/24");
        assertThat(lan).hasToString("192.168.10.0/24");
        assertThat(lan.contains(InetAddress.getByName("192.168.10.1"))).isTrue();
        assertThat(lan.contains(InetAddress.getByName("192.168.11.1"))).isFalse();
        assertThat(lan.contains(InetAddress.getByName("::ffff:192.168.10.9"))).as("IPv4-mapped").isTrue();
        assertThat(NetworkRange.parse("10.0.0.1").contains(InetAddress.getByName("10.0.0.2"))).isFalse();
    }

    @Test
    void ipv6Networks() throws Exception {
        NetworkRange net = NetworkRange.parse("2001:db8::/32");
        assertThat(net.contains(InetAddress.getByName("2001:db8:1::5"))).isTrue();
        assertThat(net.contains(InetAddress.getByName("2001:db9::5"))).isFalse();
        assertThat(net.contains(InetAddress.getByName("192.0.2.1"))).isFalse();
    }

    @Test
    void refusesWhatIsNotANetwork() {
        assertThatThrownBy(() -> NetworkRange.parse("example.org")).hasMessageContaining("not an IP network");
        assertThatThrownBy(() -> NetworkRange.parse("10.0.0.0/33")).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> NetworkRange.parse("10.0.0.0/x")).hasMessageContaining("bad prefix length");
    }
}
