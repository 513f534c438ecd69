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
import java.util.Set;

/** Reads a set's inputs from the API server, in the set's namespace; remembers the Secrets it read. */
final class ClusterInputs implements InputSource {
    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Optional<Secret>> secrets = new HashMap<>();
    private final Map<String, List<Secret>> ofSet = new HashMap<>();
    private final String setName;
    private final String previousSecretName;
    private final Map<RecordRole, Secret> found = new EnumMap<>(RecordRole.class);
    /** The set's own Secret names whose absence the Secret informer's cache may tell; empty: read every name. */
    private Set<String> ownNames = Set.of();
    private java.util.function.Predicate<String> mayExist = name -> true;

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

    /**
     * Of the set's own Secret names ({@code ownNames}: the output and the records' first names), those
     * the Secret informer has never seen are taken as absent, not read by name (a new set's three
     * names cost three GETs that each answer 404). That is safe for these names only: a Secret of
     * such a name created since, that the informer has not shown yet, makes the operator's creation
     * fail with 409 Conflict and the run is redone with reads ({@link KeystoreSetSync}), so nothing
     * is overwritten and nothing is missed. Every other name (a password, a CA, an import, a
     * TrustBundle's source) is always read from the API server: a cache that lags, or misses a
     * namespace, must never make an input that exists look missing (issue 23: a namespaced release
     * left a set waiting for a TrustBundle's source Secret that was there).
     */
    ClusterInputs ownNamesSeen(Set<String> ownNames, java.util.function.Predicate<String> seen) {
        this.ownNames = Set.copyOf(ownNames);
        this.mayExist = seen;
        return this;
    }

    /** Whether {@code name} is one of the set's own names that the informer has never seen. */
    boolean surelyAbsent(String name) {
        return ownNames.contains(name) && !mayExist.test(name);
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

    /** Reads the pool's few blocking GETs; daemon threads, so that they never hold the JVM up. */
    private static final java.util.concurrent.ExecutorService READS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "set-input-read");
        t.setDaemon(true);
        return t;
    });

    /**
     * Reads by name, in one parallel round, those of {@code names} not known yet (neither read nor
     * in the set's labelled LIST): a new set's three Secret names cost one round trip, not three.
     */
    void prefetch(List<String> names) {
        List<String> own = setName == null ? List.of() : ofSet.getOrDefault(setName, List.of()).stream()
            .map(s -> s.getMetadata().getName()).toList();
        List<String> missing = names.stream().distinct().filter(n -> !secrets.containsKey(n) && !own.contains(n) && !surelyAbsent(n)).toList();
        if (missing.size() < 2) {
            return;
        }
        Map<String, java.util.concurrent.Future<Secret>> reads = new java.util.LinkedHashMap<>();
        for (String n : missing) {
            reads.put(n, READS.submit(() -> client.secrets().inNamespace(namespace).withName(n).get()));
        }
        for (var e : reads.entrySet()) {
            try {
                secrets.put(e.getKey(), Optional.ofNullable(e.getValue().get()));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return; // the rest is read one by one when asked for
            } catch (java.util.concurrent.ExecutionException ee) {
                // not remembered: secretObject reads it again and its error surfaces there, as before
            }
        }
    }

    Optional<Secret> secretObject(String name) {
        return secrets.computeIfAbsent(name, n -> {
            // the set's own Secrets came with the labelled LIST; anything else is read by name
            List<Secret> own = setName == null ? null : ofSet.get(setName);
            Optional<Secret> listed = own == null ? Optional.empty()
                : own.stream().filter(s -> n.equals(s.getMetadata().getName())).findFirst();
            return listed.isPresent() || surelyAbsent(n) ? listed
                : Optional.ofNullable(client.secrets().inNamespace(namespace).withName(n).get());
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
