package dev.keystore.operator.reconciler;

import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.api.v1alpha1.TrustBundleStatus;
import dev.keystore.operator.api.v1alpha1.TrustedCertificateStatus;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.dependent.TrustBundleSecret;
import dev.keystore.operator.plan.Inputs;
import dev.keystore.operator.plan.Problem;
import dev.keystore.operator.plan.TrustAssembly;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One reconciliation of a TrustBundle: resolve the sources, write the target Secret if it changed, status. */
public final class TrustBundleSync {
    static final Duration RECHECK = Duration.ofHours(10);
    private final KubernetesClient client;
    private final Clock clock;
    private final SecureRandom random;
    private final EventRecorder events;

    public TrustBundleSync(KubernetesClient client, Clock clock, SecureRandom random) {
        this.client = client;
        this.clock = clock;
        this.random = random;
        this.events = new EventRecorder(client, clock);
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
        String ns = bundle.getMetadata().getNamespace();
        ClusterInputs inputs = new ClusterInputs(client, ns);
        String target = TrustAssembly.targetSecret(bundle);
        Optional<Secret> existing = inputs.secretObject(target);
        if (existing.isPresent() && !ManagedSecret.isOurs(existing.get(), bundle)) {
            throw new Problem(Problem.SECRET_CONFLICT, "Secret " + target + " already exists and is not managed by this "
                + "TrustBundle (label " + ManagedSecret.BUNDLE_LABEL + "=" + bundle.getMetadata().getName()
                + "); it was left untouched").raise();
        }
        String password = null;
        var ref = bundle.getSpec() == null || bundle.getSpec().target == null ? null : bundle.getSpec().target.passwordSecretRef;
        if (ref != null) {
            String key = ref.key == null ? "password" : ref.key;
            byte[] value = inputs.secret(ref.name).orElseThrow(() -> new Problem(Problem.MISSING_INPUT, "Secret " + ref.name
                + " (spec.target.passwordSecretRef) does not exist").raise()).get(key);
            if (value == null || new String(value, StandardCharsets.UTF_8).isBlank()) {
                throw new Problem(Problem.MISSING_INPUT, "Secret " + ref.name + " has no key " + key
                    + " (spec.target.passwordSecretRef)").raise();
            }
            password = new String(value, StandardCharsets.UTF_8).strip();
        }
        var certificates = Inputs.trustedCertificates(bundle, inputs);
        var result = TrustAssembly.assemble(bundle, certificates,
            existing.map(ManagedSecret::decode).orElse(java.util.Map.of()), password, clock.instant(), random);
        boolean changed = new TrustBundleSecret().apply(client, bundle, target, result.output(), existing);
        if (changed) {
            events.normal(bundle, "Updated", "Secret " + target + " holds " + result.entries().size() + " certificate(s)");
        }
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
        status.conditions = Conditions.merge(previous.conditions, clock, ready, expiring);
        return new Result(status, RECHECK, changed);
    }

}
