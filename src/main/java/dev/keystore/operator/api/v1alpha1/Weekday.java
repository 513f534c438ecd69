package dev.keystore.operator.api.v1alpha1;

// Constants are spelled as users write them in YAML (api.md).
public enum Weekday {
    Mon, Tue, Wed, Thu, Fri, Sat, Sun
}
