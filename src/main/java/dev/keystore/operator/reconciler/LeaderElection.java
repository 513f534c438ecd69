package dev.keystore.operator.reconciler;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Leader election on a coordination.k8s.io Lease, for more than one replica: only the holder
 * reconciles, the others keep their caches warm and take over when the lease is not renewed. Off
 * unless {@code keystore-operator.leader-election.enabled} (the Helm chart turns it on when
 * replicas > 1). The lease lives in the operator's namespace ({@code POD_NAMESPACE}).
 */
public class LeaderElection {
    public static final String LEASE = "keystore-operator";

    @Produces
    @Dependent
    @Unremovable
    LeaderElectionConfiguration leaderElection(
        @ConfigProperty(name = "keystore-operator.leader-election.enabled", defaultValue = "false") boolean enabled,
        @ConfigProperty(name = "keystore-operator.leader-election.namespace") Optional<String> namespace) {
        if (!enabled) {
            return null;
        }
        LeaderElectionConfigurationBuilder builder = LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE)
            .withIdentity(identity());
        namespace.or(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE"))).filter(n -> !n.isBlank())
            .ifPresent(builder::withLeaseNamespace);
        return builder.build();
    }

    /** The pod's name in a cluster; host and process elsewhere, so two processes on one machine differ. */
    static String identity() {
        String pod = System.getenv("POD_NAME");
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
