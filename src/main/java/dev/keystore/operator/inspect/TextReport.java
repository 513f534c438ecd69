package dev.keystore.operator.inspect;

import java.util.ArrayList;
import java.util.List;

/** The human form of a report: per store a header, a table of entries, then its findings; a summary last. */
final class TextReport {
    private static final List<String> HEADER = List.of("ALIAS", "ENTRY", "SUBJECT", "ISSUER", "KEY", "SIGNATURE",
        "NOT BEFORE", "NOT AFTER", "DAYS LEFT", "SANS", "KEY USAGE", "EXTENDED KEY USAGE", "CHAIN", "SHA-256");

    private TextReport() {
    }

    static String render(InspectReport report) {
        StringBuilder out = new StringBuilder();
        for (StoreReport store : report.stores()) {
            if (store.unreadable() != null) {
                continue; // said on stderr, in one line
            }
            out.append(store.source()).append("  (").append(store.format());
            if (store.protection() != null) {
                out.append(", ").append(store.protection().profile());
            }
            out.append("; ").append(String.join(", ", store.roles()));
            if (store.rolesFrom() != null && !store.rolesFrom().equals(StoreRoles.FILE_NAME)) {
                out.append(" (role from ").append(store.rolesFrom()).append(')');
            }
            out.append("; ").append(store.entries().size())
                .append(store.entries().size() == 1 ? " entry)" : " entries)").append('\n');
            if (store.protection() != null) {
                out.append("  protection: ").append(store.protection().describe()).append("; readers: ")
                    .append(store.protection().describeReaders()).append('\n');
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(HEADER);
            store.entries().forEach(e -> rows.add(row(e)));
            table(rows, out);
            store.findings().forEach(f -> out.append("  ").append(f.line()).append('\n'));
            out.append('\n');
        }
        InspectReport.Summary s = report.summary();
        out.append(s.stores()).append(s.stores() == 1 ? " file" : " files").append(" inspected (profile ")
            .append(report.profile()).append("): ").append(plural(s.errors(), "error")).append(", ")
            .append(plural(s.warnings(), "warning")).append(", ").append(s.info()).append(" info");
        if (s.unreadable() > 0) {
            out.append(", ").append(s.unreadable()).append(" unreadable");
        }
        return out.append('\n').toString();
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static List<String> row(EntryReport e) {
        String key = e.keyAlgorithm() == null ? null : e.keyAlgorithm() + (e.keySize() == null ? "" : " " + e.keySize());
        String usage = e.keyUsage().isEmpty() ? null : String.join(",", e.keyUsage()) + (e.keyUsageCritical() ? " (critical)" : "");
        return List.of(cell(e.alias()), cell(e.entryType()), cell(e.subject()), cell(e.issuer()), cell(key),
            cell(e.signatureAlgorithm()), cell(e.notBefore()), cell(e.notAfter()),
            cell(e.daysLeft() == null ? null : e.daysLeft().toString()), list(e.subjectAlternativeNames()), cell(usage),
            list(e.extendedKeyUsage()), cell(chain(e)), cell(e.sha256()));
    }

    /** {@code 2, complete, trusted by ca.crt [#1]}. */
    private static String chain(EntryReport e) {
        if (e.chainStatus() == null) {
            return e.chainLength() == null || e.chainLength() == 0 ? null : String.valueOf(e.chainLength());
        }
        return e.chainLength() + ", " + e.chainStatus() + (e.chainTrustedBy() == null ? "" : ", trusted by " + e.chainTrustedBy());
    }

    private static String cell(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }

    private static String list(List<String> values) {
        return values.isEmpty() ? "-" : String.join(",", values);
    }

    private static void table(List<List<String>> rows, StringBuilder out) {
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i));
                if (i + 1 < row.size()) {
                    line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
                }
            }
            out.append(line).append('\n');
        }
    }
}
