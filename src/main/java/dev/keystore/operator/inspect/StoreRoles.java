package dev.keystore.operator.inspect;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Where the roles of the stores inspected together come from: {@code --role} for all of them, else
 * the product configurations found beside them, else each file's name.
 *
 * @param given the role of {@code --role}; null without it
 */
record StoreRoles(Role given, List<ProductConfig> configs) {
    static final String FILE_NAME = "file name";
    static final StoreRoles BY_NAME = new StoreRoles(null, List.of());

    StoreRoles {
        configs = List.copyOf(configs);
    }

    /** A store's own roles and where they were read. */
    record Assigned(Set<Role> roles, String from) {
    }

    Assigned of(String fileName) {
        if (given != null) {
            return new Assigned(EnumSet.of(given), "--role");
        }
        for (ProductConfig config : configs) {
            var roles = config.rolesOf(fileName);
            if (roles.isPresent()) {
                return new Assigned(roles.get(), config.source());
            }
        }
        return new Assigned(EnumSet.of(Role.byName(fileName)), FILE_NAME);
    }

    /** Every role the product configurations give a store, inspected or not: the product has those stores. */
    Set<Role> configured() {
        Set<Role> all = EnumSet.noneOf(Role.class);
        configs.forEach(c -> c.roles().values().forEach(all::addAll));
        return all;
    }
}
