package dev.keystore.operator.keystore;

import java.util.List;
import java.util.Optional;

/**
 * One private key entry looked up in a keystore without decrypting any other.
 *
 * @param entry the entry asked for (or the only one, when none was named), if it is a private key entry
 * @param keyAliases every private key entry's alias
 * @param certificateAliases every trusted certificate entry's alias
 */
public record KeyLookup(Optional<StoreEntry.KeyEntry> entry, List<String> keyAliases, List<String> certificateAliases) {
    public KeyLookup {
        keyAliases = List.copyOf(keyAliases);
        certificateAliases = List.copyOf(certificateAliases);
    }
}
