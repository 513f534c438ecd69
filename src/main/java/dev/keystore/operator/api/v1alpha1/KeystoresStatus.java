package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeystoresStatus {
    public SlotStatus primary;
    public SlotStatus tls;
    public SlotStatus internal;
}
