package mailserver.smtp.spf;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.apache.james.jspf.core.DNSLookupContinuation;
import org.apache.james.jspf.core.DNSResponse;
import org.apache.james.jspf.core.SPFSession;
import org.apache.james.jspf.core.exceptions.NeutralException;
import org.apache.james.jspf.core.exceptions.NoneException;
import org.apache.james.jspf.core.exceptions.PermErrorException;
import org.apache.james.jspf.core.exceptions.TempErrorException;
import org.apache.james.jspf.core.exceptions.TimeoutException;
import org.apache.james.jspf.impl.DefaultTermDefinition;
import org.apache.james.jspf.parser.TermDefinition;
import org.apache.james.jspf.parser.TermsFactory;
import org.apache.james.jspf.terms.Configuration;
import org.apache.james.jspf.terms.ExistsMechanism;
import org.apache.james.jspf.terms.PTRMechanism;

/**
 * jSPF's terms with the two mechanisms whose RFC 4408 behaviour RFC 7208 changed replaced by
 * corrected subclasses. The parser instantiates terms by reflection, so the subclasses are
 * public; nothing else uses them.
 */
final class Rfc7208Terms implements TermsFactory {

    private final TermsFactory jspf;
    private final Collection<TermDefinition> mechanisms;

    Rfc7208Terms(TermsFactory jspf) {
        this.jspf = jspf;
        this.mechanisms = jspf.getMechanismsCollection().stream().map(Rfc7208Terms::corrected).toList();
    }

    private static TermDefinition corrected(TermDefinition definition) {
        Class<?> term = definition.getTermDef();
        Class<?> replacement = term == PTRMechanism.class ? Ptr.class : term == ExistsMechanism.class ? Exists.class : null;
        if (replacement == null) {
            return definition;
        }
        try {
            return new DefaultTermDefinition(replacement);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot define the SPF term " + replacement.getName(), e);
        }
    }

    @Override
    public Object createTerm(Class<?> klass, Configuration subres) throws PermErrorException, InstantiationException {
        return jspf.createTerm(klass, subres);
    }

    @Override
    public Collection<TermDefinition> getMechanismsCollection() {
        return mechanisms;
    }

    @Override
    public Collection<TermDefinition> getModifiersCollection() {
        return jspf.getModifiersCollection();
    }

    /**
     * "ptr" per RFC 7208 5.5: names compare case-insensitively (jSPF compares the record's
     * target-name as written with the DNS names, which ResolverDnsService lower-cases); a
     * DNS error on the PTR lookup or on a name's address lookup only skips that name, where
     * jSPF gives temperror; and the first 10 names are validated (4.6.4), where jSPF takes 9.
     */
    public static final class Ptr extends PTRMechanism {

        /** jSPF's session attribute holding the names still to validate; absent while the PTR lookup is pending. */
        private static final String NAMES_TO_VALIDATE = "PTRMechanism.domainListCheck";

        @Override
        protected String expandHost(SPFSession spfData) throws PermErrorException {
            return super.expandHost(spfData).toLowerCase(Locale.ROOT);
        }

        @Override
        public DNSLookupContinuation onDNSResponse(DNSResponse response, SPFSession spfSession)
                throws PermErrorException, TempErrorException, NoneException, NeutralException {
            List<String> records;
            try {
                records = response.getResponse();
            } catch (TimeoutException e) {
                return super.onDNSResponse(new DNSResponse((List<String>) null), spfSession);
            }
            boolean ptrAnswer = spfSession.getAttribute(NAMES_TO_VALIDATE) == null;
            if (ptrAnswer && records != null && records.size() > ResolverDnsService.PTR_NAME_LIMIT) {
                return super.onDNSResponse(new DNSResponse(records.subList(0, ResolverDnsService.PTR_NAME_LIMIT)), spfSession);
            }
            return super.onDNSResponse(response, spfSession);
        }
    }

    /**
     * "exists" per RFC 7208 5.7 and 2.6.6: a DNS error is temperror (jSPF, after RFC 4408,
     * treats it as no match).
     */
    public static final class Exists extends ExistsMechanism {

        @Override
        public DNSLookupContinuation onDNSResponse(DNSResponse response, SPFSession spfSession)
                throws PermErrorException, TempErrorException {
            try {
                response.getResponse();
            } catch (TimeoutException e) {
                throw new TempErrorException(e.getMessage());
            }
            return super.onDNSResponse(response, spfSession);
        }
    }
}
