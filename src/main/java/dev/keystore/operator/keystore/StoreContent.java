package dev.keystore.operator.keystore;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What a keystore holds, independent of its encoding (PKCS12 salts make every encoding differ). */
public record StoreContent(List<StoreEntry> entries) {
    public StoreContent {
        entries = entries.stream().sorted(Comparator.comparing(e -> e.alias().toLowerCase(java.util.Locale.ROOT))).toList();
    }

    public static StoreContent of(StoreEntry... entries) {
        return new StoreContent(List.of(entries));
    }

    public boolean sameAs(StoreContent other) {
        if (other == null || other.entries.size() != entries.size()) {
            return false;
        }
        for (int i = 0; i < entries.size(); i++) {
            if (!entries.get(i).sameAs(other.entries.get(i))) {
                return false;
            }
        }
        return true;
    }

    public Optional<StoreEntry.KeyEntry> keyEntry(String alias) {
        return entries.stream().filter(e -> e instanceof StoreEntry.KeyEntry && e.alias().equalsIgnoreCase(alias))
            .map(StoreEntry.KeyEntry.class::cast).findFirst();
    }
}
