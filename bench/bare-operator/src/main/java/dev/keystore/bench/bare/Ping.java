package dev.keystore.bench.bare;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** A resource with nothing to do: its reconciler only marks it ready. */
@Group("bench.keystore.dev")
@Version("v1")
public class Ping extends CustomResource<Ping.Spec, Ping.Status> implements Namespaced {
    public static class Spec {
        public String note;
    }

    public static class Status {
        public Boolean ready;
    }
}
