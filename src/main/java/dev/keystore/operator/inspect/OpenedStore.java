package dev.keystore.operator.inspect;

import java.util.List;
import java.util.Set;

/** A file read and its entries' chains judged, ready for the rules. */
record OpenedStore(StoreFile file, String format, Set<Role> roles, Pkcs12Protection protection, List<Entry> entries) {
    OpenedStore {
        roles = Set.copyOf(roles);
        entries = List.copyOf(entries);
    }
}
