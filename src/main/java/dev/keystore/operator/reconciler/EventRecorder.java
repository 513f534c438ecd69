package dev.keystore.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/** Writes core/v1 Events on a resource. Messages come from problems and notices: never a secret. */
final class EventRecorder {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private final KubernetesClient client;
    private final Clock clock;

    EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    void normal(HasMetadata on, String reason, String message) {
        record(on, "Normal", reason, message);
    }

    void warning(HasMetadata on, String reason, String message) {
        record(on, "Warning", reason, message);
    }

    private void record(HasMetadata on, String type, String reason, String message) {
        String now = clock.instant().toString();
        byte[] suffix = new byte[8];
        ThreadLocalRandom.current().nextBytes(suffix);
        try {
            client.v1().events().inNamespace(on.getMetadata().getNamespace()).resource(new EventBuilder()
                .withNewMetadata().withName(on.getMetadata().getName() + "." + HexFormat.of().formatHex(suffix))
                .withNamespace(on.getMetadata().getNamespace()).endMetadata()
                .withNewInvolvedObject().withApiVersion(on.getApiVersion()).withKind(on.getKind())
                .withName(on.getMetadata().getName()).withNamespace(on.getMetadata().getNamespace())
                .withUid(on.getMetadata().getUid()).endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent("keystore-operator").endSource()
                .build()).create();
        } catch (RuntimeException e) {
            LOG.warnf("could not record event %s on %s/%s: %s", reason, on.getMetadata().getNamespace(),
                on.getMetadata().getName(), e.getMessage());
        }
        LOG.infof("%s/%s %s %s: %s", on.getMetadata().getNamespace(), on.getMetadata().getName(), type, reason, message);
    }
}
