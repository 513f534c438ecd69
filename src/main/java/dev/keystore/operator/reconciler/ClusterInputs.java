package dev.keystore.operator.reconciler;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.dependent.StoredData;
import dev.keystore.operator.plan.InputSource;
import dev.keystore.operator.plan.Problem;
import dev.keystore.operator.plan.RecordRole;
import dev.keystore.operator.plan.Records;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a set's inputs from the API server, in the set's namespace; remembers the Secrets it read. */
final class ClusterInputs implements InputSource {
    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Optional<Secret>> secrets = new HashMap<>();
    private final Map<String, List<Secret>> ofSet = new HashMap<>();
    private final String setName;
    private final String previousSecretName;
    private final Map<RecordRole, Secret> found = new EnumMap<>(RecordRole.class);

    ClusterInputs(KubernetesClient client, String namespace) {
        this(client, namespace, null, null);
    }

    /**
     * @param setName            the set being reconciled, whose records are remembered ({@link #record(RecordRole)})
     * @param previousSecretName its secretName of the last run (status.secretName), where an older
     *                           release's records may be found by name after a rename
     */
    ClusterInputs(KubernetesClient client, String namespace, String setName, String previousSecretName) {
        this.client = client;
        this.namespace = namespace;
        this.setName = setName;
        this.previousSecretName = previousSecretName;
    }

    /** The Secrets labelled as the operator's for a set, in this namespace (one labelled LIST per set and run). */
    List<Secret> secretsOfSet(String set) {
        return ofSet.computeIfAbsent(set, n -> client.secrets().inNamespace(namespace)
            .withLabel(ManagedSecret.MANAGED_BY_LABEL, ManagedSecret.MANAGED_BY).withLabel(ManagedSecret.SET_LABEL, n)
            .list().getItems());
    }

    /** The record of the reconciled set found for a role by the last {@link #record(String, String, RecordRole)}. */
    Optional<Secret> record(RecordRole role) {
        return Optional.ofNullable(found.get(role));
    }

    @Override
    public Optional<Named> record(String set, String secretName, RecordRole role) throws Problem.Raised {
        List<String> firstNames = new ArrayList<>();
        firstNames.add(role.firstName(secretName));
        if (set.equals(setName) && previousSecretName != null) {
            firstNames.add(role.firstName(previousSecretName));
        }
        List<Records.Candidate> candidates = new ArrayList<>();
        Map<String, Secret> byName = new HashMap<>();
        for (Secret s : secretsOfSet(set)) {
            Map<String, String> labels = s.getMetadata().getLabels();
            if (labels.containsKey(ManagedSecret.REPLACING_LABEL)) {
                continue; // a copy kept while a Secret is replaced; recovered before the run
            }
            String r = labels.get(ManagedSecret.RECORD_LABEL);
            boolean labelled = role.label().equals(r);
            if (labelled || r == null && firstNames.contains(s.getMetadata().getName())) {
                candidates.add(new Records.Candidate(s.getMetadata().getName(), labelled, ManagedSecret.decode(s)));
                byName.put(s.getMetadata().getName(), s);
            }
        }
        Optional<Records.Candidate> chosen = Records.choose(role, set, role.firstName(secretName), candidates);
        if (chosen.isPresent() && set.equals(setName)) {
            Secret s = byName.get(chosen.get().name());
            found.put(role, s);
            secrets.put(s.getMetadata().getName(), Optional.of(s));
        }
        return chosen.map(c -> new Named(c.name(), c.data()));
    }

    Optional<Secret> secretObject(String name) {
        return secrets.computeIfAbsent(name, n -> {
            // the set's own Secrets came with the labelled LIST; anything else is read by name
            List<Secret> own = setName == null ? null : ofSet.get(setName);
            Optional<Secret> listed = own == null ? Optional.empty()
                : own.stream().filter(s -> n.equals(s.getMetadata().getName())).findFirst();
            return listed.isPresent() ? listed : Optional.ofNullable(client.secrets().inNamespace(namespace).withName(n).get());
        });
    }

    @Override
    public Optional<Map<String, byte[]>> secret(String name) {
        return secretObject(name).map(ManagedSecret::decode);
    }

    @Override
    public Optional<KeystoreSet> keystoreSet(String name) {
        return Optional.ofNullable(client.resources(KeystoreSet.class).inNamespace(namespace).withName(name).get());
    }

    @Override
    public Optional<Map<String, byte[]>> configMap(String name) {
        return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get()).map(StoredData::of);
    }

    @Override
    public Optional<TrustBundle> trustBundle(String name) {
        return Optional.ofNullable(client.resources(TrustBundle.class).inNamespace(namespace).withName(name).get());
    }
}
