package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadRef {
    @Required
    public WorkloadKind kind;
    @Required
    @Pattern(Patterns.DNS_SUBDOMAIN)
    @Size(max = Patterns.MAX_NAME)
    public String name;
}
