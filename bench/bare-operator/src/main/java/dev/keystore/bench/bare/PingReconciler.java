package dev.keystore.bench.bare;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** The trivial reconciler: patches status.ready=true once. */
@ControllerConfiguration(name = "ping")
public class PingReconciler implements Reconciler<Ping> {
    @Override
    public UpdateControl<Ping> reconcile(Ping ping, Context<Ping> context) {
        if (ping.getStatus() != null && Boolean.TRUE.equals(ping.getStatus().ready)) {
            return UpdateControl.noUpdate();
        }
        Ping.Status status = new Ping.Status();
        status.ready = true;
        ping.setStatus(status);
        return UpdateControl.patchStatus(ping);
    }
}
