/** Keys, certificates, PEM and fingerprints. Depends on java.* and Bouncy Castle only; Clock and SecureRandom are passed in. */
package dev.keystore.operator.crypto;
