package dev.keystore.operator.reconciler;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.KeystoreSetStatus;
import dev.keystore.operator.api.v1alpha1.KeystoresStatus;
import dev.keystore.operator.api.v1alpha1.SlotStatus;
import dev.keystore.operator.api.v1alpha1.TruststoreStatus;
import dev.keystore.operator.config.Snippets;
import dev.keystore.operator.crypto.KeySource;
import dev.keystore.operator.crypto.Signer;
import dev.keystore.operator.dependent.CaSecret;
import dev.keystore.operator.dependent.CsrSecret;
import dev.keystore.operator.plan.ExternalSigning;
import dev.keystore.operator.dependent.FaultHook;
import dev.keystore.operator.plan.ExistingState;
import dev.keystore.operator.plan.RecordRole;
import dev.keystore.operator.dependent.InternalKeySecret;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.dependent.OutputSecret;
import dev.keystore.operator.dependent.SecretMetadataTemplate;
import dev.keystore.operator.dependent.WorkloadRollout;
import dev.keystore.operator.plan.Notice;
import dev.keystore.operator.plan.Inputs;
import dev.keystore.operator.plan.Issuance;
import dev.keystore.operator.plan.Outcome;
import dev.keystore.operator.plan.Problem;
import dev.keystore.operator.plan.SetDefinition;
import dev.keystore.operator.plan.SlotAction;
import dev.keystore.operator.plan.SlotName;
import dev.keystore.operator.plan.SlotReport;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One reconciliation of a KeystoreSet, independent of the Operator SDK so that it can be driven
 * directly in tests: read inputs, run the {@link Issuance}, write the Secrets that changed, and
 * compute the status. Bad input leaves every Secret untouched.
 */
public final class KeystoreSetSync {
    public static final String ROTATE_TLS = "keystore.dev/rotate-tls";
    public static final String ROTATE_PRIMARY = "keystore.dev/rotate-primary";
    static final Duration MAX_WAIT = Duration.ofHours(10);
    static final Duration RETRY_AFTER_PROBLEM = Duration.ofMinutes(2);

    private final KubernetesClient client;
    private final Clock clock;
    private final Issuance issuance;
    private final EventRecorder events;
    private final OwnWrites ownWrites;
    /** Whether the Secret informer has seen namespace/name; null: read every name from the API server. */
    private final java.util.function.BiPredicate<String, String> secretSeen;
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(KeystoreSetSync.class);

    public KeystoreSetSync(KubernetesClient client, Clock clock, SecureRandom random) {
        this(client, clock, random, KeySource.generating(random));
    }

    public KeystoreSetSync(KubernetesClient client, Clock clock, SecureRandom random, KeySource keys) {
        this(client, clock, random, keys, new OwnWrites(), null);
    }

    KeystoreSetSync(KubernetesClient client, Clock clock, SecureRandom random, KeySource keys, OwnWrites ownWrites,
                    java.util.function.BiPredicate<String, String> secretSeen) {
        this.ownWrites = ownWrites;
        this.secretSeen = secretSeen;
        this.client = client;
        this.clock = clock;
        this.issuance = new Issuance(new Signer(clock, random), keys);
        this.events = new EventRecorder(client, clock);
    }

    /** The status the set should have, and when to look at it again. */
    /** waitingForWindow: slot name to the start of the renewal window its due renewal waits for. */
    public record Result(KeystoreSetStatus status, Duration requeueAfter, boolean outputChanged,
                         Map<String, Instant> waitingForWindow) {
        public Result(KeystoreSetStatus status, Duration requeueAfter, boolean outputChanged) {
            this(status, requeueAfter, outputChanged, Map.of());
        }
    }

    public Result reconcile(KeystoreSet set) {
        KeystoreSetStatus previous = set.getStatus() == null ? new KeystoreSetStatus() : set.getStatus();
        try {
            FaultHook.beforeReconcile(set.getMetadata().getName());
            try {
                return issue(set, previous, secretSeen);
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (secretSeen == null || e.getCode() != 409) {
                    throw e;
                }
                // a Secret the informer had not shown yet: read every name this time (the creation wrote nothing)
                LOG.debugf("KeystoreSet %s/%s: a Secret appeared since the informer's view; reading it", 
                    set.getMetadata().getNamespace(), set.getMetadata().getName());
                return issue(set, previous, null);
            }
        } catch (Problem.Raised e) {
            return failed(set, previous, e.problem(), RETRY_AFTER_PROBLEM);
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
                throw (VirtualMachineError) t; // out of memory: nothing sensible is left to do here
            }
            LOG.warnf(t, "KeystoreSet %s/%s: reconcile failed", set.getMetadata().getNamespace(), set.getMetadata().getName());
            return failed(set, previous, InternalErrors.problem(t), InternalErrors.backoff(previous.conditions, clock));
        }
    }

    private Result issue(KeystoreSet set, KeystoreSetStatus previous,
                         java.util.function.BiPredicate<String, String> seen) throws Problem.Raised {
        SetDefinition def = SetDefinition.of(set);
        Map<String, byte[]> snippets = Snippets.files(def); // a value no snippet can hold is refused before any write
        var refused = SecretMetadataTemplate.refusal(set.getSpec().secretTemplate);
        if (refused.isPresent()) {
            throw Problem.invalidSpec(refused.get()[0], refused.get()[1]).raise();
        }
        SecretMetadataTemplate template = SecretMetadataTemplate.of(set.getSpec().secretTemplate);
        String ns = set.getMetadata().getNamespace();
        String previousName = previous.secretName != null && !previous.secretName.equals(def.secretName())
            ? previous.secretName : null;
        ClusterInputs inputs = known(new ClusterInputs(client, ns, def.name(), previousName), ns, def, seen);
        // a Secret replacement (type change) a crash interrupted is finished before anything is read
        if (ManagedSecret.recover(client, inputs.secretsOfSet(def.name()))) {
            LOG.infof("KeystoreSet %s/%s: finished a Secret replacement an earlier run left half done", ns, def.name());
            inputs = known(new ClusterInputs(client, ns, def.name(), previousName), ns, def, seen);
        }
        Map<SlotName, String> rotations = rotationRequests(set, previous);
        ExistingState existing = Inputs.gather(def, inputs, rotations);
        String caName = existing.recordName(RecordRole.CA, def.secretName());
        String internalName = existing.recordName(RecordRole.INTERNAL, def.secretName());
        boolean external = def.issuer().kind() == SetDefinition.IssuerDefinition.Kind.EXTERNAL;
        String csrName = ExternalSigning.csrSecret(def.secretName());
        List<String> own = external ? List.of(def.secretName(), caName, internalName, csrName)
            : List.of(def.secretName(), caName, internalName);
        inputs.prefetch(own);
        for (String name : own) {
            Optional<Secret> found = inputs.secretObject(name);
            if (found.isPresent() && !ManagedSecret.isOurs(found.get(), set)) {
                throw new Problem(Problem.SECRET_CONFLICT, "Secret " + name + " already exists and is not managed by "
                    + "this KeystoreSet (labels " + ManagedSecret.MANAGED_BY_LABEL + "=" + ManagedSecret.MANAGED_BY + ", "
                    + ManagedSecret.SET_LABEL + "=" + def.name() + "); it was left untouched").raise();
            }
        }
        // spec.secretName renamed: the new output is written from the old one (same keys, same bytes where unchanged)
        Optional<Secret> renamedFrom = previousName == null || inputs.secretObject(def.secretName()).isPresent()
            ? Optional.empty() : inputs.secretObject(previousName).filter(s -> ManagedSecret.isOurs(s, set));
        if (renamedFrom.isPresent()) {
            existing = new ExistingState(ManagedSecret.decode(renamedFrom.get()), existing.caRecord(), existing.internalRecord(),
                existing.referencedPassword(), existing.externalCa(), existing.extraTrusted(), existing.rotationRequests(),
                existing.imports(), existing.recordNames());
        }
        Outcome outcome = issuance.run(def, existing, external ? inputs.secret(def.issuer().reference()).orElse(null) : null);

        // the records first: they are the copies that must never be lost, and the output is rebuilt from them
        if (outcome.internalRecord() != null) {
            write(new InternalKeySecret(), set, internalName, outcome.internalRecord(), inputs.secretObject(internalName));
        }
        if (outcome.caRecord() != null) {
            boolean holdsCa = def.issuer().kind() == SetDefinition.IssuerDefinition.Kind.SELF_SIGNED;
            write(new CaSecret(holdsCa), set, caName, outcome.caRecord(), inputs.secretObject(caName));
        }
        if (outcome.signing() != null) {
            new CsrSecret().sync(client, set, csrName, outcome.signing().csrs(), inputs.secretObject(csrName));
            AwaitingSignature.tell(events, set, previous, outcome.signing());
            if (outcome.output() == null) {
                return awaiting(set, previous, outcome.signing());
            }
        }
        Map<String, byte[]> output = new java.util.LinkedHashMap<>(outcome.output());
        output.putAll(snippets);
        Optional<Secret> before = inputs.secretObject(def.secretName());
        boolean wrote = write(new OutputSecret(), set, def.secretName(), output, before, template);
        // a template change rewrites labels only: no new revision, no rollout
        boolean changed = wrote && (before.isEmpty() || !ManagedSecret.sameData(ManagedSecret.decode(before.get()), output));
        if (renamedFrom.isPresent()) {
            events.normal(set, "SecretRenamed", "spec.secretName changed from " + previousName + " to " + def.secretName()
                + ": Secret " + def.secretName() + " was written with the same keys and CA; Secret " + previousName
                + " was left in place (pods may still mount it): delete it when nothing uses it");
        }

        // A new set's first issuance is told by one Issued Event (it names the slots); its new CA is part
        // of that and not told apart: a new set costs three Secrets, its status and one Event.
        boolean firstIssue = Optional.ofNullable(previous.revision).orElse(0L) == 0;
        for (Notice notice : outcome.notices()) {
            switch (notice.kind()) {
                case REFUSED -> events.warning(set, "Refused", notice.message());
                case KEY_ADOPTED -> events.normal(set, "InternalKeyAdopted", notice.message());
                case NEW_CA -> {
                    if (!firstIssue) {
                        events.normal(set, "KeyMaterial", notice.message());
                    }
                }
                case KEY_MATERIAL -> events.normal(set, "KeyMaterial", notice.message());
            }
        }
        long revision = Optional.ofNullable(previous.revision).orElse(0L) + (changed ? 1 : 0);
        if (changed) {
            recordWritten(set, def.secretName(), revision, outcome);
        }
        if (set.getSpec().rollout != null && !set.getSpec().rollout.isEmpty()) {
            List<String> missing = WorkloadRollout.apply(client, ns, set.getSpec().rollout, revision, changed);
            if (changed && !missing.isEmpty()) {
                events.warning(set, "RolloutTargetMissing", "Not rolled (missing, or the patch failed): "
                    + String.join(", ", missing));
            }
        }
        KeystoreSetStatus status = new KeystoreSetStatus();
        status.observedGeneration = set.getMetadata().getGeneration();
        status.revision = revision;
        status.secretName = def.secretName();
        status.keystores = keystores(outcome, previous.keystores);
        status.notAfter = outcome.slots().values().stream().map(SlotReport::notAfter).min(Instant::compareTo)
            .map(Instant::toString).orElse(null);
        status.truststore = new TruststoreStatus();
        status.truststore.certificates = outcome.trustedCertificates();
        status.nextRenewalWindow = def.renewal().shown(clock.instant()).map(Instant::toString).orElse(null);
        Map<String, Instant> waiting = new java.util.TreeMap<>();
        outcome.waitingForWindow().forEach((slot, start) -> waiting.put(slot.key(), start));
        status.awaitingSignature = AwaitingSignature.status(outcome.signing());
        status.conditions = Conditions.merge(previous.conditions, clock, new ConditionBuilder().withType("Ready").withStatus("True")
            .withReason("Issued").withMessage("Secret " + def.secretName() + " holds " + def.slots().size()
                + " keystore(s) and a truststore of " + outcome.trustedCertificates() + " certificate(s)")
            .withObservedGeneration(set.getMetadata().getGeneration()).build(),
            status.awaitingSignature != null ? AwaitingSignature.issuing(outcome.signing(), set.getMetadata().getGeneration())
            : new ConditionBuilder().withType("Issuing").withStatus("False")
                .withReason(waiting.isEmpty() ? "UpToDate" : "WaitingForRenewalWindow")
                .withMessage(waiting.isEmpty() ? "Next renewal at " + outcome.nextRenewal()
                    : "Due renewal of " + String.join(", ", waiting.keySet()) + " waits for the renewal window at "
                    + waiting.values().iterator().next())
                .withObservedGeneration(set.getMetadata().getGeneration()).build());
        Duration wait = Duration.between(clock.instant(), outcome.nextRenewal());
        if (wait.isNegative() || wait.isZero()) {
            wait = Duration.ofSeconds(1);
        }
        return new Result(status, wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait, changed, waiting);
    }

    /** The informer's view of names, for the set's own three Secret names only (see {@link ClusterInputs#ownNamesSeen}). */
    private static ClusterInputs known(ClusterInputs inputs, String ns, SetDefinition def,
                                       java.util.function.BiPredicate<String, String> seen) {
        if (seen == null) {
            return inputs;
        }
        String output = def.secretName();
        return inputs.ownNamesSeen(java.util.Set.of(output, RecordRole.CA.firstName(output),
            RecordRole.INTERNAL.firstName(output)), name -> seen.test(ns, name));
    }

    /**
     * Writes one of the set's Secrets. An update's watch event is announced to {@link OwnWrites}
     * first (the event can arrive before the write returns), so that it does not reconcile the set
     * again; a creation's event is already dropped by the Secret informer's add filter.
     */
    private boolean write(ManagedSecret secret, KeystoreSet set, String name, Map<String, byte[]> data,
                          Optional<Secret> existing) {
        return write(secret, set, name, data, existing, SecretMetadataTemplate.NONE);
    }

    private boolean write(ManagedSecret secret, KeystoreSet set, String name, Map<String, byte[]> data,
                          Optional<Secret> existing, SecretMetadataTemplate template) {
        String ns = set.getMetadata().getNamespace();
        if (existing.isPresent()) {
            ownWrites.expect(ns, name, data);
        }
        boolean wrote = false;
        try {
            wrote = secret.apply(client, set, name, data, existing, template);
            return wrote;
        } finally {
            if (!wrote && existing.isPresent()) {
                ownWrites.forget(ns, name);
            }
        }
    }

    /** issuer.external before a slot's first certificate: the output stays as it is, the CSRs wait. */
    private Result awaiting(KeystoreSet set, KeystoreSetStatus previous, ExternalSigning.Round round) {
        KeystoreSetStatus status = carriedOver(set, previous);
        status.awaitingSignature = AwaitingSignature.status(round);
        Long generation = set.getMetadata().getGeneration();
        status.conditions = Conditions.merge(previous.conditions, clock, AwaitingSignature.notReady(round, generation),
            AwaitingSignature.issuing(round, generation));
        return new Result(status, MAX_WAIT, false);
    }

    /** A new status for this generation that keeps what the last good run published (the output did not change). */
    private static KeystoreSetStatus carriedOver(KeystoreSet set, KeystoreSetStatus previous) {
        KeystoreSetStatus status = new KeystoreSetStatus();
        status.observedGeneration = set.getMetadata().getGeneration();
        status.revision = previous.revision;
        status.secretName = previous.secretName;
        status.keystores = previous.keystores;
        status.truststore = previous.truststore;
        status.notAfter = previous.notAfter;
        status.nextRenewalWindow = previous.nextRenewalWindow;
        return status;
    }

    private Result failed(KeystoreSet set, KeystoreSetStatus previous, Problem problem, Duration retry) {
        Condition ready = new ConditionBuilder().withType("Ready").withStatus("False").withReason(problem.reason())
            .withMessage(problem.message()).withObservedGeneration(set.getMetadata().getGeneration()).build();
        boolean news = previous.conditions == null || previous.conditions.stream().noneMatch(c -> "Ready".equals(c.getType())
            && "False".equals(c.getStatus()) && Objects.equals(c.getMessage(), problem.message()));
        if (news) {
            events.warning(set, problem.reason(), problem.message());
        }
        KeystoreSetStatus status = carriedOver(set, previous);
        // Issuing=True while the set waits for an input that will let it issue without any change to it
        boolean waiting = Problem.MISSING_INPUT.equals(problem.reason()) || Problem.ISSUER_NOT_READY.equals(problem.reason());
        status.conditions = Conditions.merge(previous.conditions, clock, ready, new ConditionBuilder().withType("Issuing")
            .withStatus(waiting ? "True" : "False").withReason(waiting ? "WaitingForInput" : "Blocked")
            .withMessage(waiting ? "Will issue as soon as this is resolved: " + problem.message()
                : Problem.INTERNAL_ERROR.equals(problem.reason()) ? "Trying again in " + retry.toSeconds() + "s"
                : "Nothing is issued until the spec or input is fixed")
            .withObservedGeneration(set.getMetadata().getGeneration()).build());
        return new Result(status, retry, false);
    }

    /** Annotation tokens not yet acted on (a token is acted on once and recorded in status). */
    static Map<SlotName, String> rotationRequests(KeystoreSet set, KeystoreSetStatus previous) {
        Map<SlotName, String> requests = new EnumMap<>(SlotName.class);
        Map<String, String> annotations = set.getMetadata().getAnnotations();
        if (annotations == null) {
            return requests;
        }
        request(requests, SlotName.TLS, annotations.get(ROTATE_TLS), previous.keystores == null ? null : previous.keystores.tls);
        request(requests, SlotName.PRIMARY, annotations.get(ROTATE_PRIMARY),
            previous.keystores == null ? null : previous.keystores.primary);
        return requests;
    }

    private static void request(Map<SlotName, String> requests, SlotName slot, String token, SlotStatus before) {
        if (token != null && !token.isBlank() && (before == null || !token.equals(before.rotationToken))) {
            requests.put(slot, token);
        }
    }

    private static KeystoresStatus keystores(Outcome outcome, KeystoresStatus before) {
        KeystoresStatus k = new KeystoresStatus();
        k.primary = slotStatus(outcome.slots().get(SlotName.PRIMARY), before == null ? null : before.primary);
        k.tls = slotStatus(outcome.slots().get(SlotName.TLS), before == null ? null : before.tls);
        k.internal = slotStatus(outcome.slots().get(SlotName.INTERNAL), before == null ? null : before.internal);
        return k;
    }

    private static SlotStatus slotStatus(SlotReport r, SlotStatus before) {
        if (r == null) {
            return null;
        }
        SlotStatus s = new SlotStatus();
        s.alias = r.alias();
        s.subject = r.subject();
        s.issuer = r.issuer();
        s.serialNumber = r.serialNumber();
        s.notBefore = r.notBefore().toString();
        s.notAfter = r.notAfter().toString();
        s.renewalTime = r.renewalTime().toString();
        s.sha256Fingerprint = r.sha256Fingerprint();
        s.keyAlgorithm = r.keyAlgorithm();
        s.rotationToken = r.rotationToken() != null ? r.rotationToken() : before == null ? null : before.rotationToken;
        return s;
    }


    /**
     * One Event per kind of change the write carried: Issued (first certificate), Renewed (same key),
     * Rotated (new key), InternalKeyAdopted (the internal key taken from an import), Imported;
     * Updated when only the truststore, CA or password changed.
     */
    private void recordWritten(KeystoreSet set, String secret, long revision, Outcome outcome) {
        Map<String, List<String>> byReason = new java.util.LinkedHashMap<>();
        for (SlotReport r : outcome.slots().values()) {
            String reason = switch (r.action()) {
                case KEPT -> null;
                case ISSUED -> "Issued";
                case RENEWED -> "Renewed";
                case ROTATED -> "Rotated";
                case IMPORTED -> r.slot() == SlotName.INTERNAL ? "InternalKeyAdopted" : "Imported";
            };
            if (reason != null) {
                byReason.computeIfAbsent(reason, k -> new ArrayList<>()).add(r.slot().key() + " (serial " + r.serialNumber()
                    + ", until " + r.notAfter() + ")");
            }
        }
        String written = "Secret " + secret + " written (revision " + revision + ")";
        if (byReason.isEmpty()) {
            events.normal(set, "Updated", written + ": truststore, CA or password content changed");
        }
        byReason.forEach((reason, slots) -> events.normal(set, reason, written + ": " + String.join(", ", slots)));
    }
}
