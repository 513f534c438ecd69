package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An object of the resource's namespace, by name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LocalRef {
    @Required
    @Pattern(Patterns.DNS_SUBDOMAIN)
    @Size(max = Patterns.MAX_NAME)
    public String name;

    public LocalRef() {
    }

    public LocalRef(String name) {
        this.name = name;
    }
}
