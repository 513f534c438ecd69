package dev.keystore.operator.reconciler;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * An update of a KeystoreSet is reconciled when it changes what the operator acts on: the spec
 * (generation), annotations (rotation tokens), labels, or the start of its deletion. Its own status
 * writes are not: each would cost a reconciliation that reads three Secrets to find nothing to do.
 */
public class SetInputChange implements OnUpdateFilter<KeystoreSet> {
    @Override
    public boolean accept(KeystoreSet updated, KeystoreSet old) {
        var now = updated.getMetadata();
        var before = old.getMetadata();
        return !Objects.equals(now.getGeneration(), before.getGeneration())
            || !Objects.equals(now.getAnnotations(), before.getAnnotations())
            || !Objects.equals(now.getLabels(), before.getLabels())
            || now.getDeletionTimestamp() != null;
    }
}
