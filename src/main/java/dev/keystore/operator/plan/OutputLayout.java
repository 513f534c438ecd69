package dev.keystore.operator.plan;

import dev.keystore.operator.crypto.Fingerprints;
import dev.keystore.operator.crypto.KeyAndChain;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.keystore.Aliases;
import dev.keystore.operator.keystore.KeystoreCodec;
import dev.keystore.operator.keystore.StoreContent;
import dev.keystore.operator.keystore.StoreEntry;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The layout of the output Secret (api.md): one store file per slot, the truststore, password,
 * ca.crt and, for a tls slot, tls.crt/tls.key. Unchanged content keeps its bytes.
 */
final class OutputLayout {
    private OutputLayout() {
    }

    /** The output Secret's data, and how many certificates the truststore holds. */
    record Written(Map<String, byte[]> data, int trustedCertificates) {
    }

    /**
     * @param before    the output as it is (its bytes are kept where the content did not change)
     * @param password  the generated password to write under {@code password}, or null (passwordSecretRef)
     * @param storePassword the password the stores are written with
     */
    static Written write(SetDefinition def, Map<String, byte[]> before, Map<SlotName, KeyAndChain> material,
                         List<X509Certificate> trusted, List<X509Certificate> issuerTrust, String password,
                         char[] storePassword) {
        Map<String, byte[]> output = new LinkedHashMap<>();
        for (SlotDefinition slot : def.slots().values()) {
            KeyAndChain kc = material.get(slot.name());
            StoreContent content = StoreContent.of(new StoreEntry.KeyEntry(slot.alias(), kc.key(), kc.chain()));
            output.put(slot.fileName(), KeystoreCodec.encodeKeeping(before.get(slot.fileName()), slot.format(), content, storePassword,
                slot.pkcs12Profile()));
        }
        List<StoreEntry> trustEntries = new ArrayList<>(Aliases.assign(trusted));
        output.put(def.truststore().fileName(), KeystoreCodec.encodeKeeping(before.get(def.truststore().fileName()),
            def.truststore().format(), new StoreContent(trustEntries), storePassword, def.truststore().pkcs12Profile()));
        if (password != null) {
            output.put(RecordKey.PASSWORD.key(), password.getBytes(StandardCharsets.UTF_8));
        }
        output.put(RecordKey.CA_CRT.key(), Pem.encode(Fingerprints.distinct(issuerTrust)).getBytes(StandardCharsets.UTF_8));
        KeyAndChain tls = material.get(SlotName.TLS);
        if (tls != null) {
            output.put(RecordKey.TLS_CRT.key(), Pem.encode(tls.chain()).getBytes(StandardCharsets.UTF_8));
            output.put(RecordKey.TLS_KEY.key(), InternalKeyRecord.Entry.keepPemKey(before.get(RecordKey.TLS_KEY.key()), tls.key()));
        }

        return new Written(output, trustEntries.size());
    }

    /** A slot's key and chain from its file in the output, when the file opens with {@code password}. */
    static Optional<KeyAndChain> readSlot(Map<String, byte[]> output, SlotDefinition slot, char[] password) {
        byte[] bytes = output.get(slot.fileName());
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            StoreContent content = KeystoreCodec.read(KeystoreCodec.detect(bytes), bytes, password);
            return content.keyEntry(slot.alias()).map(e -> new KeyAndChain(e.key(), e.chain()));
        } catch (KeystoreCodec.UnreadableKeystore e) {
            return Optional.empty(); // our own output, unreadable (e.g. the password changed): issue anew
        }
    }
}
