package dev.keystore.operator.inspect;

import java.util.List;

/**
 * What one file (or Secret key) holds and what is wrong with it.
 *
 * @param source the path as given, or {@code Secret <ns>/<name> key <key>}
 * @param format JKS, PKCS12, PEM or DER (one certificate); null when unreadable before its type was known
 * @param rolesFrom where its roles were read: {@code --role}, the product configuration naming it, or {@code file name}
 * @param protection how a PKCS12 is encrypted; null for other formats
 * @param unreadable why it could not be read (exit code 2); null when read
 */
public record StoreReport(String source, String format, List<String> roles, String rolesFrom, Pkcs12Protection protection,
                          List<EntryReport> entries, List<Finding> findings, String unreadable) {
    public StoreReport {
        roles = List.copyOf(roles);
        entries = List.copyOf(entries);
        findings = List.copyOf(findings);
    }

    static StoreReport unreadable(String source, String format, String why) {
        return new StoreReport(source, format, List.of(), null, null, List.of(), List.of(), why);
    }
}
