package dev.keystore.operator.inspect;

import java.util.List;

/** Everything one {@code inspect} run found: what {@code -o json} prints. */
public record InspectReport(String profile, String inspectedAt, List<StoreReport> stores, Summary summary) {
    public InspectReport {
        stores = List.copyOf(stores);
    }

    /** @param exitCode 2 when an input could not be read, else 1 when there is an ERROR, else 0 */
    public record Summary(int stores, int errors, int warnings, int info, int unreadable, int exitCode) {
    }

    static InspectReport of(Profile profile, String inspectedAt, List<StoreReport> stores) {
        int errors = count(stores, Severity.ERROR);
        int unreadable = (int) stores.stream().filter(s -> s.unreadable() != null).count();
        int exit = unreadable > 0 ? 2 : errors > 0 ? 1 : 0;
        return new InspectReport(profile.key(), inspectedAt, stores, new Summary(stores.size(), errors,
            count(stores, Severity.WARNING), count(stores, Severity.INFO), unreadable, exit));
    }

    private static int count(List<StoreReport> stores, Severity severity) {
        return (int) stores.stream().flatMap(s -> s.findings().stream()).filter(f -> f.severity() == severity).count();
    }
}
