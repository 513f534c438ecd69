package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrustBundleStatus {
    public Long observedGeneration;
    public Integer certificates;
    public List<TrustedCertificateStatus> entries;
    public List<Condition> conditions = new ArrayList<>();
}
