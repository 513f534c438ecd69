package dev.keystore.operator.keystore;

public enum StoreType {
    JKS("jks"),
    PKCS12("p12");

    private final String extension;

    StoreType(String extension) {
        this.extension = extension;
    }

    /** File name extension without the dot. */
    public String extension() {
        return extension;
    }
}
