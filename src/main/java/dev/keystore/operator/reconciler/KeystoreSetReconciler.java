package dev.keystore.operator.reconciler;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.KeystoreSetSpec;
import dev.keystore.operator.api.v1alpha1.SlotSpec;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.plan.SetSecrets;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.crypto.KeyPool;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import dev.keystore.operator.api.v1alpha1.KeystoreSetStatus;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reconciles KeystoreSets. Reacts to the set, to the Secrets it writes or references, and to the
 * sets it signs with; renewals are scheduled for the earliest renewal time.
 */
@ControllerConfiguration(name = "keystoreset", generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = SetInputChange.class))
public class KeystoreSetReconciler implements Reconciler<KeystoreSet> {
    static final String SECRET_INDEX = "referenced-secrets";
    static final String ISSUER_INDEX = "issuer-sets";
    static final String BUNDLE_INDEX = "trust-bundles";

    private final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();
    private final KeyPool keys;

    /**
     * The newest status written per set (by uid). The informer cache may still show an older one
     * right after a write; reconciling from that could act on a rotation token twice.
     */
    private final Map<String, KeystoreSetStatus> written = new ConcurrentHashMap<>();
    private final KeystoreMetrics metrics;
    /** Updates this operator is making to its sets' Secrets, whose watch events are no change to act on. */
    private final OwnWrites ownWrites = new OwnWrites();
    /** The Secret informer (names and labels): which Secret names exist, without a GET for each. */
    private volatile InformerEventSource<Secret, KeystoreSet> secretNames;

    public KeystoreSetReconciler(KeystoreMetrics metrics, KeyPool keys) {
        this.metrics = metrics;
        this.keys = keys;
    }

    @Override
    public UpdateControl<KeystoreSet> reconcile(KeystoreSet set, Context<KeystoreSet> context) {
        var timing = metrics.start();
        String uid = set.getMetadata().getUid();
        KeystoreSetStatus known = written.get(uid);
        if (known != null) {
            set.setStatus(known);
        }
        KeystoreSetSync.Result result = new KeystoreSetSync(context.getClient(), clock, random, keys, ownWrites,
            secretSeen()).reconcile(set);
        String before = set.getStatus() == null ? null : StatusPatch.json(set.getStatus());
        if (!StatusPatch.json(result.status()).equals(before)) {
            StatusPatch.replace(context.getClient(), set, result.status());
            written.put(uid, result.status());
        }
        var cache = context.getPrimaryCache();
        metrics.keystoreSet(set.getMetadata().getNamespace(), set.getMetadata().getName(), result.status(),
            result.waitingForWindow(), k -> cache.get(new ResourceID(k.name(), k.namespace())).isPresent());
        if (written.size() > cache.list().count()) {
            // sets deleted since: their last status is no longer needed
            Set<String> live = cache.list().map(s -> s.getMetadata().getUid()).collect(Collectors.toSet());
            written.keySet().removeIf(u -> !u.equals(uid) && !live.contains(u));
        }
        metrics.reconciled(timing, "KeystoreSet", KeystoreMetrics.outcome(result.status().conditions));
        return UpdateControl.<KeystoreSet>noUpdate().rescheduleAfter(result.requeueAfter());
    }

    @Override
    public List<EventSource<?, KeystoreSet>> prepareEventSources(EventSourceContext<KeystoreSet> context) {
        context.getPrimaryCache().addIndexer(SECRET_INDEX, set -> referencedSecrets(set).stream()
            .map(name -> set.getMetadata().getNamespace() + "/" + name).toList());
        context.getPrimaryCache().addIndexer(ISSUER_INDEX, set -> {
            var issuer = set.getSpec() == null || set.getSpec().issuer == null ? null : set.getSpec().issuer.keystoreSetRef;
            return issuer == null || issuer.name == null ? List.of()
                : List.of(set.getMetadata().getNamespace() + "/" + issuer.name);
        });
        context.getPrimaryCache().addIndexer(BUNDLE_INDEX, set -> {
            var t = set.getSpec() == null ? null : set.getSpec().truststore;
            return t == null || t.trustBundleRefs == null ? List.of() : t.trustBundleRefs.stream()
                .filter(r -> r != null && r.name != null).map(r -> set.getMetadata().getNamespace() + "/" + r.name).toList();
        });
        var bundles = new InformerEventSource<>(InformerEventSourceConfiguration.from(TrustBundle.class, KeystoreSet.class)
            .withName("trust-bundles").withInformerListLimit(MetadataOnlyStore.LIST_PAGE)
            .withSecondaryToPrimaryMapper(bundle -> setsUsingBundle(context, bundle.getMetadata().getNamespace(),
                bundle.getMetadata().getName())).build(), context);
        var secrets = new InformerEventSource<>(MetadataOnlyStore.perInformer(InformerEventSourceConfiguration.from(Secret.class, KeystoreSet.class)
            .withName("secrets")
            .withOnAddFilter(secret -> !writtenForItsOwnSet(secret, context.getPrimaryCache()
                .byIndex(SECRET_INDEX, secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName())))
            // the operator's own update of a set's Secret, come back: the set that wrote it is being reconciled already
            .withOnUpdateFilter((secret, old) -> !ownEcho(secret, old, context, bundles))
            .withSecondaryToPrimaryMapper(secret -> {
                String ns = secret.getMetadata().getNamespace();
                Set<ResourceID> ids = context.getPrimaryCache()
                    .byIndex(SECRET_INDEX, ns + "/" + secret.getMetadata().getName())
                    .stream().map(ResourceID::fromResource).collect(Collectors.toSet());
                var labels = secret.getMetadata().getLabels();
                if (labels != null && ManagedSecret.MANAGED_BY.equals(labels.get(ManagedSecret.MANAGED_BY_LABEL))
                    && labels.get(ManagedSecret.SET_LABEL) != null) {
                    ids.add(new ResourceID(labels.get(ManagedSecret.SET_LABEL), ns));
                }
                bundles.list(ns, b -> usesSource(b, secret.getMetadata().getName(), true))
                    .forEach(b -> ids.addAll(setsUsingBundle(context, ns, b.getMetadata().getName())));
                return ids;
            }).build(), Secret::new), context);
        var configMaps = new InformerEventSource<>(MetadataOnlyStore.perInformer(InformerEventSourceConfiguration.from(ConfigMap.class, KeystoreSet.class)
            .withName("config-maps")
            .withSecondaryToPrimaryMapper(cm -> {
                String ns = cm.getMetadata().getNamespace();
                Set<ResourceID> ids = new java.util.HashSet<>();
                bundles.list(ns, b -> usesSource(b, cm.getMetadata().getName(), false))
                    .forEach(b -> ids.addAll(setsUsingBundle(context, ns, b.getMetadata().getName())));
                return ids;
            }).build(), ConfigMap::new), context);
        var issuers = new InformerEventSource<>(MetadataOnlyStore.perInformer(InformerEventSourceConfiguration.from(KeystoreSet.class, KeystoreSet.class)
            .withName("issuer-sets")
            .withSecondaryToPrimaryMapper(issuer -> context.getPrimaryCache()
                .byIndex(ISSUER_INDEX, issuer.getMetadata().getNamespace() + "/" + issuer.getMetadata().getName())
                .stream().map(ResourceID::fromResource).collect(Collectors.toSet())).build(), KeystoreSet::new), context);
        secretNames = secrets;
        return List.of(secrets, issuers, bundles, configMaps);
    }

    /**
     * A Secret the operator wrote for a set, that no other set reads ({@code readers}: the sets that
     * reference it): its creation is the operator's own write (or the informer's first listing),
     * and that set was reconciled anyway. Not so a record of the set under another name (records
     * are found by label, so it may be a second record of a role: a conflict to report).
     */
    static boolean writtenForItsOwnSet(Secret secret, List<KeystoreSet> readers) {
        var labels = secret.getMetadata().getLabels();
        String owner = labels == null || !ManagedSecret.MANAGED_BY.equals(labels.get(ManagedSecret.MANAGED_BY_LABEL)) ? null
            : labels.get(ManagedSecret.SET_LABEL);
        if (owner != null && readers.isEmpty() && labels.containsKey(ManagedSecret.RECORD_LABEL)
            && !labels.containsKey(ManagedSecret.REPLACING_LABEL)) {
            return false; // a record under a name the set does not give its records (e.g. a restored backup): look at it
        }
        return owner != null && readers.stream().allMatch(set -> owner.equals(set.getMetadata().getName()));
    }

    private java.util.function.BiPredicate<String, String> secretSeen() {
        var informer = secretNames;
        return informer == null ? null : (ns, name) -> informer.get(new ResourceID(name, ns)).isPresent();
    }

    /**
     * An update of a Secret that is the operator's own write for the one set that reads it (same
     * labels as before, the data just written, no TrustBundle taking it as a source): that set is
     * being reconciled already, and nothing else reads the Secret.
     */
    private boolean ownEcho(Secret secret, Secret old, EventSourceContext<KeystoreSet> context,
                            InformerEventSource<TrustBundle, KeystoreSet> bundles) {
        String ns = secret.getMetadata().getNamespace();
        String name = secret.getMetadata().getName();
        return Objects.equals(secret.getMetadata().getLabels(), old.getMetadata().getLabels())
            && writtenForItsOwnSet(secret, context.getPrimaryCache().byIndex(SECRET_INDEX, ns + "/" + name))
            && bundles.list(ns, b -> usesSource(b, name, true)).findAny().isEmpty()
            && ownWrites.isEcho(secret);
    }

    private static Set<ResourceID> setsUsingBundle(EventSourceContext<KeystoreSet> context, String ns, String bundle) {
        return context.getPrimaryCache().byIndex(BUNDLE_INDEX, ns + "/" + bundle).stream().map(ResourceID::fromResource)
            .collect(Collectors.toSet());
    }

    private static boolean usesSource(TrustBundle bundle, String name, boolean secret) {
        return bundle.getSpec() != null && bundle.getSpec().sources != null && bundle.getSpec().sources.stream()
            .anyMatch(s -> secret ? s.secret != null && name.equals(s.secret.name)
                : s.configMap != null && name.equals(s.configMap.name));
    }

    /** Every Secret a set reads or writes, so that a change to any of them reconciles the set. */
    static List<String> referencedSecrets(KeystoreSet set) {
        List<String> names = new ArrayList<>();
        KeystoreSetSpec spec = set.getSpec();
        if (spec == null) {
            return names;
        }
        names.addAll(SetSecrets.of(set).names());
        if (spec.passwordSecretRef != null && spec.passwordSecretRef.name != null) {
            names.add(spec.passwordSecretRef.name);
        }
        if (spec.issuer != null && spec.issuer.ca != null && spec.issuer.ca.secretRef != null) {
            names.add(spec.issuer.ca.secretRef.name);
        }
        if (spec.issuer != null && spec.issuer.external != null && spec.issuer.external.certificateSecretRef != null) {
            names.add(spec.issuer.external.certificateSecretRef.name);
        }
        for (SlotSpec slot : new SlotSpec[] {spec.primary, spec.tls, spec.internal}) {
            if (slot != null && slot.importFrom != null) {
                if (slot.importFrom.secretRef != null) {
                    names.add(slot.importFrom.secretRef.name);
                }
                if (slot.importFrom.keystore != null) {
                    if (slot.importFrom.keystore.secretRef != null) {
                        names.add(slot.importFrom.keystore.secretRef.name);
                    }
                    if (slot.importFrom.keystore.passwordSecretRef != null) {
                        names.add(slot.importFrom.keystore.passwordSecretRef.name);
                    }
                }
            }
        }
        names.removeIf(Objects::isNull);
        return names;
    }
}
