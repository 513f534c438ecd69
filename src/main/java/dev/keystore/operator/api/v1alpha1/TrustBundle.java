package dev.keystore.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

@Group(KeystoreSet.GROUP)
@Version(KeystoreSet.VERSION)
@ShortNames("tb")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Certificates", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.certificates")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class TrustBundle extends CustomResource<TrustBundleSpec, TrustBundleStatus> implements Namespaced {
    @Override
    protected TrustBundleSpec initSpec() {
        return new TrustBundleSpec();
    }

    @Override
    protected TrustBundleStatus initStatus() {
        return new TrustBundleStatus();
    }
}
