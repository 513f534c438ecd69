package dev.keystore.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

@Group(KeystoreSet.GROUP)
@Version(KeystoreSet.VERSION)
@ShortNames("kss")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Secret", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.secretName")
@AdditionalPrinterColumn(name = "Revision", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.revision")
// a string: kubectl shows a future time in a date column as "<invalid>"
@AdditionalPrinterColumn(name = "Expires", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.notAfter")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class KeystoreSet extends CustomResource<KeystoreSetSpec, KeystoreSetStatus> implements Namespaced {
    public static final String GROUP = "keystore.dev";
    public static final String VERSION = "v1alpha1";

    @Override
    protected KeystoreSetSpec initSpec() {
        return new KeystoreSetSpec();
    }

    @Override
    protected KeystoreSetStatus initStatus() {
        return new KeystoreSetStatus();
    }
}
