package dev.keystore.operator.crypto;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks URI and e-mail subject alternative names before they go into a certificate. Both are
 * IA5Strings (RFC 5280 4.2.1.6): ASCII only, so other characters must be percent-encoded (URIs) or
 * are refused (e-mail: no SMTPUTF8 mailboxes). Each check returns why a name is wrong, or empty.
 */
public final class AlternativeNames {
    static final int MAX_URI = 2048;
    static final int MAX_EMAIL = 254;
    private static final Pattern PRINTABLE_ASCII = Pattern.compile("^[\\x21-\\x7e]+$");
    private static final String ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
    private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    /** addr-spec with a dot-atom local part and a DNS domain: no quoted strings, comments or address literals. */
    private static final Pattern EMAIL = Pattern.compile("^" + ATOM + "(\\." + ATOM + ")*@" + LABEL + "(\\." + LABEL + ")*$");
    private static final Pattern SPIFFE_TRUST_DOMAIN = Pattern.compile("^[a-z0-9._-]+$");
    private static final Pattern SPIFFE_SEGMENT = Pattern.compile("^[A-Za-z0-9._-]+$");

    private AlternativeNames() {
    }

    /** Why {@code text} cannot be a uniformResourceIdentifier SAN; empty when it can. */
    public static Optional<String> uriProblem(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.of("is empty");
        }
        if (text.length() > MAX_URI) {
            return Optional.of("is longer than " + MAX_URI + " characters");
        }
        if (!PRINTABLE_ASCII.matcher(text).matches()) {
            return Optional.of("must be ASCII without spaces (percent-encode other characters)");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return Optional.of("is not a URI");
        }
        if (!uri.isAbsolute()) {
            return Optional.of("has no scheme (such as spiffe:// or https://)");
        }
        boolean hierarchical = uri.getRawSchemeSpecificPart().startsWith("//");
        if (hierarchical && (uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty())) {
            return Optional.of("has no host after //");
        }
        if (uri.getScheme().toLowerCase(Locale.ROOT).equals("spiffe")) {
            return spiffeProblem(uri);
        }
        return Optional.empty();
    }

    /** The SPIFFE ID form: spiffe://trust-domain/path, no port, user, query or fragment, no empty or dot segment. */
    private static Optional<String> spiffeProblem(URI uri) {
        String why = "is not a SPIFFE ID (spiffe://<trust domain>/<path>: lower-case trust domain, no port, user, "
            + "query, fragment, empty or dot segments)";
        if (!uri.getScheme().equals("spiffe") || uri.getRawAuthority() == null
            || !SPIFFE_TRUST_DOMAIN.matcher(uri.getRawAuthority()).matches()
            || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.of(why);
        }
        String path = uri.getRawPath();
        if (path.isEmpty()) {
            return Optional.empty();
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (!SPIFFE_SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                return Optional.of(why);
            }
        }
        return Optional.empty();
    }

    /** Why {@code text} cannot be an rfc822Name SAN (an addr-spec such as ops@example.com); empty when it can. */
    public static Optional<String> emailProblem(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.of("is empty");
        }
        if (text.length() > MAX_EMAIL) {
            return Optional.of("is longer than " + MAX_EMAIL + " characters");
        }
        int at = text.lastIndexOf('@');
        if (!EMAIL.matcher(text).matches() || at > 64) {
            return Optional.of("is not an e-mail address such as ops@example.com (ASCII, no spaces, no display name)");
        }
        return Optional.empty();
    }

    /** A name as it may appear in a message: printable ASCII only, at most 80 characters. */
    public static String quoted(String text) {
        String s = text == null ? "" : text.replaceAll("[^\\x20-\\x7e]", "?");
        return "'" + (s.length() > 80 ? s.substring(0, 77) + "..." : s) + "'";
    }
}
