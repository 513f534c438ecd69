package dev.keystore.operator.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Writes a set's whole status with one JSON Patch "add /status" on the status subresource: a full
 * replacement, so a slot that went away leaves no stale entry, and no field is sent as null.
 */
final class StatusPatch {
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private StatusPatch() {
    }

    static String json(Object status) {
        try {
            return JSON.writeValueAsString(status);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize status", e);
        }
    }

    static <T extends io.fabric8.kubernetes.api.model.HasMetadata> void replace(KubernetesClient client, T resource,
                                                                           Object status) {
        String patch = "[{\"op\":\"add\",\"path\":\"/status\",\"value\":" + json(status) + "}]";
        client.resource(resource).subresource("status").patch(PatchContext.of(PatchType.JSON), patch);
    }
}
