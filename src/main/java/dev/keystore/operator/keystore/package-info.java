/** JKS and PKCS12 bytes through the JDK KeyStore, passwords, aliases. */
package dev.keystore.operator.keystore;
