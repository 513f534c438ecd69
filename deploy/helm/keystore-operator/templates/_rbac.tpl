{{/*
The operator's rules, the same in the ClusterRole (all namespaces) and in each namespaced Role.
Each one is needed: src/test/java/dev/keystore/operator/it/RbacIT removes them one at a time and
shows a step of a KeystoreSet + TrustBundle scenario fail.
*/}}
{{- define "keystore-operator.rules" -}}
# KeystoreSets and TrustBundles are read and watched; the operator writes their status only.
- apiGroups: [keystore.dev]
  resources: [keystoresets, trustbundles]
  verbs: [get, list, watch]
- apiGroups: [keystore.dev]
  resources: [keystoresets/status, trustbundles/status]
  verbs: [patch]
# Secrets it reads (passwords, CAs, imports, bundle sources) and writes (<secretName>, -ca,
# -internal, bundle targets). delete only replaces a Secret of its own whose type must change.
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch, create, update, delete]
# TrustBundle sources.
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
# spec.rollout: the pod template annotation keystore.dev/revision of the listed workloads.
- apiGroups: [apps]
  resources: [deployments, statefulsets, daemonsets]
  verbs: [get, patch]
{{- end }}

{{/* Leader election: the Lease keystore-operator in the release namespace. */}}
{{- define "keystore-operator.leaseRules" -}}
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [create]
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  resourceNames: [keystore-operator]
  verbs: [get, update, patch]
{{- end }}

{{/*
trustDistribution.enabled: TrustBundle target.namespaceSelector and target.configMap. Cluster-wide, as
copies go into other namespaces: namespaces are listed and watched (which match, which accept; never
read one by one, never written); Secrets and ConfigMaps are read by name, written, updated and deleted
there, and listed by label to find copies to remove. No watch on them outside the watched namespaces:
the informers stay in the operator's own namespaces. RBAC cannot narrow by label or annotation, and a
copy's namespace and name are not known at install time (no resourceNames): this is the least that
works; the code checks the accept annotation and the copy labels before every write. TrustBundles are
watched cluster-wide for deletions and patched for the finalizer that keeps a distributing bundle until
its copies are gone. Exercised by src/test/java/dev/keystore/operator/it/SecretTemplateAndDistributionIT,
which also asks the API server (SubjectAccessReview) what the ServiceAccount may and may not do.
*/}}
{{- define "keystore-operator.distributionRules" -}}
- apiGroups: [""]
  resources: [namespaces]
  verbs: [list, watch]
- apiGroups: [""]
  resources: [secrets, configmaps]
  verbs: [get, list, create, update, delete]
- apiGroups: [keystore.dev]
  resources: [trustbundles]
  verbs: [get, list, watch, patch]
{{- end }}
