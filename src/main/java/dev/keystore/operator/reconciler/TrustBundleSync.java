package dev.keystore.operator.reconciler;

import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.api.v1alpha1.TrustBundleStatus;
import dev.keystore.operator.api.v1alpha1.TrustedCertificateStatus;
import dev.keystore.operator.dependent.DistributedTrust;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.dependent.TrustBundleSecret;
import dev.keystore.operator.plan.BundleDefinition;
import dev.keystore.operator.plan.Inputs;
import dev.keystore.operator.plan.Problem;
import dev.keystore.operator.plan.TrustAssembly;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** One reconciliation of a TrustBundle: resolve the sources, write the target Secret if it changed, status. */
public final class TrustBundleSync {
    static final Duration RECHECK = Duration.ofHours(10);
    private final KubernetesClient client;
    private final Clock clock;
    private final SecureRandom random;
    private final EventRecorder events;
    private final boolean distribution;

    public TrustBundleSync(KubernetesClient client, Clock clock, SecureRandom random) {
        this(client, clock, random, false);
    }

    /** @param distribution whether this operator may write into other namespaces (trustDistribution.enabled) */
    public TrustBundleSync(KubernetesClient client, Clock clock, SecureRandom random, boolean distribution) {
        this.client = client;
        this.clock = clock;
        this.random = random;
        this.events = new EventRecorder(client, clock);
        this.distribution = distribution;
    }

    /**
     * The bundle is going: its copies in other namespaces go too (they carry no owner reference), then the
     * finalizer that kept the bundle until they were gone.
     */
    public List<String> removeCopies(TrustBundle bundle) {
        if (!distribution) {
            return List.of();
        }
        List<String> removed = DistributedTrust.removeCopies(client, bundle, BundleDefinition.targetSecret(bundle), Set.of(),
            Set.of());
        finalizer(bundle, false);
        return removed;
    }

    /** A distributing bundle carries a finalizer, so that a deletion while no operator runs still removes its copies. */
    private void finalizer(TrustBundle bundle, boolean wanted) {
        List<String> finalizers = bundle.getMetadata().getFinalizers();
        boolean present = finalizers != null && finalizers.contains(DistributedTrust.FINALIZER);
        if (present == wanted) {
            return;
        }
        try {
            client.resources(TrustBundle.class).inNamespace(bundle.getMetadata().getNamespace())
                .withName(bundle.getMetadata().getName()).edit(b -> {
                    List<String> list = new ArrayList<>(Optional.ofNullable(b.getMetadata().getFinalizers()).orElse(List.of()));
                    list.remove(DistributedTrust.FINALIZER);
                    if (wanted) {
                        list.add(DistributedTrust.FINALIZER);
                    }
                    b.getMetadata().setFinalizers(list);
                    return b;
                });
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) { // gone, or changed meanwhile: the next event tries again
                throw e;
            }
        }
    }

    public record Result(TrustBundleStatus status, Duration requeueAfter, boolean changed) {
    }

    public Result reconcile(TrustBundle bundle) {
        TrustBundleStatus previous = bundle.getStatus() == null ? new TrustBundleStatus() : bundle.getStatus();
        Problem p;
        Duration retry = KeystoreSetSync.RETRY_AFTER_PROBLEM;
        try {
            dev.keystore.operator.dependent.FaultHook.beforeReconcile(bundle.getMetadata().getName());
            return assemble(bundle, previous);
        } catch (Problem.Raised e) {
            p = e.problem();
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
                throw (VirtualMachineError) t;
            }
            org.jboss.logging.Logger.getLogger(TrustBundleSync.class).warnf(t, "TrustBundle %s/%s: reconcile failed",
                bundle.getMetadata().getNamespace(), bundle.getMetadata().getName());
            p = InternalErrors.problem(t);
            retry = InternalErrors.backoff(previous.conditions, clock);
        }
        {
            boolean news = previous.conditions == null || previous.conditions.stream().noneMatch(c -> "Ready".equals(c.getType())
                && "False".equals(c.getStatus()) && Objects.equals(c.getMessage(), p.message()));
            if (news) {
                events.warning(bundle, p.reason(), p.message());
            }
            TrustBundleStatus status = new TrustBundleStatus();
            status.observedGeneration = bundle.getMetadata().getGeneration();
            status.certificates = previous.certificates;
            status.entries = previous.entries;
            status.conditions = Conditions.merge(previous.conditions, clock, new ConditionBuilder().withType("Ready").withStatus("False")
                .withReason(p.reason()).withMessage(p.message()).build());
            return new Result(status, retry, false);
        }
    }

    private Result assemble(TrustBundle bundle, TrustBundleStatus previous) throws Problem.Raised {
        BundleDefinition def = BundleDefinition.of(bundle);
        String ns = def.namespace();
        ClusterInputs inputs = new ClusterInputs(client, ns);
        String target = def.targetSecret();
        Optional<Secret> existing = inputs.secretObject(target);
        if (existing.isPresent() && !ManagedSecret.isOurs(existing.get(), bundle)) {
            throw new Problem(Problem.SECRET_CONFLICT, "Secret " + target + " already exists and is not managed by this "
                + "TrustBundle (label " + ManagedSecret.BUNDLE_LABEL + "=" + bundle.getMetadata().getName()
                + "); it was left untouched").raise();
        }
        boolean configMap = def.configMap();
        LabelSelector selector = def.namespaceSelector();
        if (selector != null && !distribution) {
            throw Problem.invalidSpec("spec.target.namespaceSelector", "this operator does not write into other "
                + "namespaces (Helm value trustDistribution.enabled is off); nothing was distributed").raise();
        }
        if (configMap && !distribution) {
            throw Problem.invalidSpec("spec.target.configMap", "this operator does not write ConfigMaps (Helm value "
                + "trustDistribution.enabled is off, which also grants ConfigMap writes); nothing was written").raise();
        }
        if (configMap) {
            var cm = client.configMaps().inNamespace(ns).withName(target).get();
            if (cm != null && !DistributedTrust.isOurs(cm, bundle, true)) {
                throw new Problem(Problem.SECRET_CONFLICT, "ConfigMap " + target + " already exists and is not managed by "
                    + "this TrustBundle (label " + ManagedSecret.BUNDLE_LABEL + "=" + bundle.getMetadata().getName()
                    + "); it was left untouched").raise();
            }
        }
        List<String> accepting = selector == null ? List.of() : accepting(bundle, selector);
        if (distribution) {
            finalizer(bundle, selector != null); // before the first copy is written
        }
        String password = def.referencedPassword(inputs);
        var certificates = Inputs.trustedCertificates(bundle, inputs);
        var result = TrustAssembly.assemble(def, certificates,
            existing.map(ManagedSecret::decode).orElse(java.util.Map.of()), password, clock.instant(), random);
        boolean changed = new TrustBundleSecret().apply(client, bundle, target, result.output(), existing);
        if (configMap) {
            changed |= DistributedTrust.configMap(client, bundle, ns, target, result.pem()) == DistributedTrust.Written.WRITTEN;
        } else if (distribution) {
            changed |= DistributedTrust.removeLocalConfigMap(client, bundle, target);
        }
        if (changed) {
            events.normal(bundle, "Updated", "Secret " + target + " holds " + result.entries().size() + " certificate(s)");
        }
        Condition distributed = distribution ? distribute(bundle, previous, target, selector, accepting, configMap, result)
            : null;
        TrustBundleStatus status = new TrustBundleStatus();
        status.observedGeneration = bundle.getMetadata().getGeneration();
        status.certificates = result.entries().size();
        status.entries = new ArrayList<>();
        for (var e : result.entries()) {
            TrustedCertificateStatus s = new TrustedCertificateStatus();
            s.alias = e.alias();
            s.subject = e.subject();
            s.notAfter = e.notAfter().toString();
            s.sha256Fingerprint = e.sha256Fingerprint();
            status.entries.add(s);
        }
        Condition ready = new ConditionBuilder().withType("Ready").withStatus("True").withReason("Assembled")
            .withMessage("Secret " + target + " holds " + result.entries().size() + " certificate(s)").build();
        Condition expiring = result.expiringSoon().isEmpty()
            ? new ConditionBuilder().withType("ExpiringSoon").withStatus("False").withReason("AllValid")
                .withMessage("No certificate expires within 30 days").build()
            : new ConditionBuilder().withType("ExpiringSoon").withStatus("True").withReason("ExpiresWithin30Days")
                .withMessage("Expired or expiring within 30 days: " + String.join(", ", result.expiringSoon())).build();
        status.conditions = distributed == null ? Conditions.merge(previous.conditions, clock, ready, expiring)
            : Conditions.merge(previous.conditions, clock, ready, expiring, distributed);
        return new Result(status, RECHECK, changed);
    }

    /** Namespaces matching the selector that accept this bundle's namespace, not it, not being deleted; sorted. */
    private List<String> accepting(TrustBundle bundle, LabelSelector selector) throws Problem.Raised {
        String from = bundle.getMetadata().getNamespace();
        List<Namespace> matching;
        try {
            matching = client.namespaces().withLabelSelector(selector).list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 400 || e.getCode() == 422 || e.getCode() == 0) {
                throw Problem.invalidSpec("spec.target.namespaceSelector", "is not a valid label selector").raise();
            }
            throw e;
        }
        return matching.stream().filter(n -> !from.equals(n.getMetadata().getName()))
            .filter(n -> n.getMetadata().getDeletionTimestamp() == null)
            .filter(n -> DistributedTrust.accepts(n, from)).map(n -> n.getMetadata().getName()).sorted().toList();
    }

    /** Writes the copies into the accepting namespaces, removes the others; the Distributed condition. */
    private Condition distribute(TrustBundle bundle, TrustBundleStatus previous, String target, LabelSelector selector,
                                 List<String> accepting, boolean configMap, TrustAssembly.Result result) {
        List<String> conflicts = new ArrayList<>();
        List<String> written = new ArrayList<>();
        for (String ns : accepting) {
            var secret = DistributedTrust.secret(client, bundle, ns, target, result.output());
            var cm = configMap ? DistributedTrust.configMap(client, bundle, ns, target, result.pem()) : DistributedTrust.Written.UNCHANGED;
            if (secret == DistributedTrust.Written.CONFLICT) {
                conflicts.add("Secret " + ns + "/" + target);
            }
            if (cm == DistributedTrust.Written.CONFLICT) {
                conflicts.add("ConfigMap " + ns + "/" + target);
            }
            if (secret == DistributedTrust.Written.WRITTEN || cm == DistributedTrust.Written.WRITTEN) {
                written.add(ns);
            }
        }
        List<String> removed = DistributedTrust.removeCopies(client, bundle, target, Set.copyOf(accepting),
            configMap ? Set.copyOf(accepting) : Set.of());
        if (!written.isEmpty()) {
            events.normal(bundle, "Distributed", "Copied into " + String.join(", ", written));
        }
        if (!removed.isEmpty()) {
            events.normal(bundle, "CopiesRemoved", "Removed " + String.join(", ", removed));
        }
        Condition condition;
        if (selector == null) {
            condition = new ConditionBuilder().withType("Distributed").withStatus("False").withReason("NoSelector")
                .withMessage("spec.target.namespaceSelector is not set: the bundle stays in its namespace").build();
        } else if (!conflicts.isEmpty()) {
            condition = new ConditionBuilder().withType("Distributed").withStatus("False").withReason("Conflict")
                .withMessage("Not written over objects the operator does not own: " + String.join(", ", conflicts)).build();
        } else {
            condition = new ConditionBuilder().withType("Distributed").withStatus("True").withReason("Distributed")
                .withMessage(accepting.isEmpty() ? "No namespace matches the selector and accepts (annotation "
                    + DistributedTrust.ACCEPT_ANNOTATION + ") " + bundle.getMetadata().getNamespace()
                    : "In " + accepting.size() + " namespace(s): " + String.join(", ", accepting)).build();
        }
        boolean news = previous.conditions == null || previous.conditions.stream().noneMatch(c -> "Distributed".equals(c.getType())
            && Objects.equals(c.getMessage(), condition.getMessage()));
        if (!conflicts.isEmpty() && news) {
            events.warning(bundle, "CopyConflict", condition.getMessage());
        }
        return condition;
    }

}
