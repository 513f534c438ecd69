/** The offline CLI: the same plan and keystore code, a directory instead of Secrets. */
package dev.keystore.operator.render;
