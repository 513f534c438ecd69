package dev.keystore.operator.plan;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** An InputSource over maps, as the operator and render give it, for plan tests. */
final class MapInputs implements InputSource {
    final Map<String, Map<String, byte[]>> secrets;
    final Map<String, Map<String, byte[]>> configMaps;
    final Map<String, KeystoreSet> sets = new HashMap<>();
    final Map<String, TrustBundle> bundles = new HashMap<>();

    MapInputs(Map<String, Map<String, byte[]>> secrets, Map<String, Map<String, byte[]>> configMaps) {
        this.secrets = secrets;
        this.configMaps = configMaps;
    }

    MapInputs() {
        this(new HashMap<>(), new HashMap<>());
    }

    @Override
    public Optional<Map<String, byte[]>> secret(String name) {
        return Optional.ofNullable(secrets.get(name));
    }

    @Override
    public Optional<KeystoreSet> keystoreSet(String name) {
        return Optional.ofNullable(sets.get(name));
    }

    @Override
    public Optional<Map<String, byte[]>> configMap(String name) {
        return Optional.ofNullable(configMaps.get(name));
    }

    @Override
    public Optional<TrustBundle> trustBundle(String name) {
        return Optional.ofNullable(bundles.get(name));
    }
}
