package mailserver.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The known key an unknown one was most likely meant to be: "prot" -> "port", "data_dir" -> "data-dir". */
final class KeySuggestion {

    /** Config keys are short; a longer "key" is not a typo of one (and would cost a big table). */
    private static final int MAX_KEY_LENGTH = 64;

    private KeySuggestion() {
    }

    static Optional<String> closest(String unknown, List<String> known) {
        if (unknown.length() > MAX_KEY_LENGTH) {
            return Optional.empty();
        }
        String typed = unknown.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(typed, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        // Two edits is a typo; more than half the word rewritten is a different word.
        boolean plausible = best != null && bestDistance <= 2 && bestDistance * 2 <= unknown.length();
        return plausible ? Optional.of(best) : Optional.empty();
    }

    /** Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
