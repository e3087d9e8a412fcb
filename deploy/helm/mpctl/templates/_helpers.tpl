{{/* Naming helpers in the style of temporalio/helm-charts. */}}

{{- define "mpctl.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mpctl.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of one component's resources: (list $ "worker") */}}
{{- define "mpctl.componentname" -}}
{{- $global := index . 0 -}}
{{- $component := index . 1 | trimPrefix "-" -}}
{{- printf "%s-%s" (include "mpctl.fullname" $global | trunc (sub 62 (len $component) | int) | trimSuffix "-") $component -}}
{{- end -}}

{{- define "mpctl.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels of one component: (list $ "worker") */}}
{{- define "mpctl.selectorLabels" -}}
{{- $global := index . 0 -}}
{{- $component := index . 1 -}}
app.kubernetes.io/name: {{ include "mpctl.name" $global }}
app.kubernetes.io/instance: {{ $global.Release.Name }}
app.kubernetes.io/component: {{ $component }}
{{- end -}}

{{/* All labels of one component's resources: (list $ "worker") */}}
{{- define "mpctl.resourceLabels" -}}
{{- $global := index . 0 -}}
{{ include "mpctl.selectorLabels" . }}
app.kubernetes.io/part-of: {{ $global.Chart.Name }}
app.kubernetes.io/version: {{ $global.Chart.AppVersion | replace "+" "_" | quote }}
app.kubernetes.io/managed-by: {{ $global.Release.Service }}
helm.sh/chart: {{ include "mpctl.chart" $global }}
{{- with $global.Values.additionalLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "mpctl.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "mpctl.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "mpctl.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* Secret holding MPCTL_DATABASE_URL: an existing one, or the one this chart creates. */}}
{{- define "mpctl.database.secretName" -}}
{{- default (include "mpctl.componentname" (list . "database")) .Values.database.existingSecret -}}
{{- end -}}

{{/* Secret holding TEMPORAL_API_KEY. */}}
{{- define "mpctl.apiKey.secretName" -}}
{{- default (include "mpctl.componentname" (list . "temporal-api-key")) .Values.temporal.apiKey.existingSecret -}}
{{- end -}}

{{- define "mpctl.apiKey.enabled" -}}
{{- if or .Values.temporal.apiKey.existingSecret .Values.temporal.apiKey.value -}}true{{- end -}}
{{- end -}}

{{/*
Resources that the pre-install migrations Job needs (its Secret, its ServiceAccount)
must exist before it, so they are hooks too, created at a lower weight.
*/}}
{{- define "mpctl.preInstallHookAnnotations" -}}
{{- if .Values.migrations.enabled -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: "-10"
helm.sh/hook-delete-policy: before-hook-creation
{{- end -}}
{{- end -}}

{{/* Fail the render when the worker's grace time cannot finish inside the pod's. */}}
{{- define "mpctl.worker.terminationGracePeriodSeconds" -}}
{{- $grace := int .Values.worker.shutdownGraceSeconds -}}
{{- $pod := int .Values.worker.terminationGracePeriodSeconds -}}
{{- if le $pod $grace -}}
{{- fail (printf "worker.terminationGracePeriodSeconds (%d) must be greater than worker.shutdownGraceSeconds (%d): Kubernetes would SIGKILL the worker before running activities finish or are handed back" $pod $grace) -}}
{{- end -}}
{{- $pod -}}
{{- end -}}

{{/* Environment shared by the worker and the migrations Job. */}}
{{- define "mpctl.commonEnv" -}}
- name: MPCTL_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "mpctl.database.secretName" . }}
      key: {{ .Values.database.secretKey }}
- name: TEMPORAL_ADDRESS
  value: {{ .Values.temporal.address | quote }}
- name: TEMPORAL_NAMESPACE
  value: {{ .Values.temporal.namespace | quote }}
- name: MPCTL_TASK_QUEUE
  value: {{ .Values.temporal.taskQueue | quote }}
- name: MPCTL_HOME
  value: /tmp/mpctl
- name: MPCTL_SETTLE_SECONDS
  value: {{ .Values.settleSeconds | quote }}
{{- if .Values.temporal.tls.enabled }}
- name: TEMPORAL_TLS
  value: "true"
{{- with .Values.temporal.tls.serverName }}
- name: TEMPORAL_TLS_SERVER_NAME
  value: {{ . | quote }}
{{- end }}
{{- if .Values.temporal.tls.existingSecret }}
{{- if .Values.temporal.tls.caKey }}
- name: TEMPORAL_TLS_CA
  value: /etc/mpctl/temporal-tls/{{ .Values.temporal.tls.caKey }}
{{- end }}
{{- if .Values.temporal.tls.certKey }}
- name: TEMPORAL_TLS_CERT
  value: /etc/mpctl/temporal-tls/{{ .Values.temporal.tls.certKey }}
- name: TEMPORAL_TLS_KEY
  value: /etc/mpctl/temporal-tls/{{ .Values.temporal.tls.keyKey }}
{{- end }}
{{- end }}
{{- end }}
{{- if include "mpctl.apiKey.enabled" . }}
- name: TEMPORAL_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "mpctl.apiKey.secretName" . }}
      key: {{ .Values.temporal.apiKey.secretKey }}
{{- end }}
{{- end -}}

{{- define "mpctl.tlsVolume" -}}
{{- if and .Values.temporal.tls.enabled .Values.temporal.tls.existingSecret -}}
- name: temporal-tls
  secret:
    secretName: {{ .Values.temporal.tls.existingSecret }}
    defaultMode: 0440
{{- end }}
{{- end -}}

{{- define "mpctl.tlsVolumeMount" -}}
{{- if and .Values.temporal.tls.enabled .Values.temporal.tls.existingSecret -}}
- name: temporal-tls
  mountPath: /etc/mpctl/temporal-tls
  readOnly: true
{{- end }}
{{- end -}}

{{/* MPCTL_DATA_ROOTS: the mount paths of dataRoots, colon-separated; /data when none. */}}
{{- define "mpctl.dataRootsEnv" -}}
{{- $paths := list -}}
{{- range .Values.dataRoots -}}
{{- $paths = append $paths .mountPath -}}
{{- end -}}
{{- if $paths -}}{{- join ":" $paths -}}{{- else -}}/data{{- end -}}
{{- end -}}

{{/*
The worker pools as a YAML list: the main worker (component "worker", every queue unless pools
exist, then only temporal.taskQueue) and one per workerPools entry, its values being `worker`
overridden by the entry's keys. Templates range over it with `fromYamlArray`.
*/}}
{{- define "mpctl.workerPools" -}}
{{- $pools := list (dict "component" "worker" "values" .Values.worker "taskQueues" (ternary (list .Values.temporal.taskQueue) (list) (gt (len .Values.workerPools) 0)) "image" dict "main" true) -}}
{{- range .Values.workerPools -}}
{{- $values := mergeOverwrite (deepCopy $.Values.worker) (omit . "name" "taskQueues" "image") -}}
{{- $pools = append $pools (dict "component" (printf "worker-%s" .name) "values" $values "taskQueues" .taskQueues "image" (.image | default dict) "main" false) -}}
{{- end -}}
{{- toYaml $pools -}}
{{- end -}}

{{/* `--task-queue Q` for each queue of a pool, as a YAML list. */}}
{{- define "mpctl.taskQueueArgs" -}}
{{- $args := list -}}
{{- range . -}}
{{- $args = append (append $args "--task-queue") . -}}
{{- end -}}
{{- toYaml $args -}}
{{- end -}}

{{/*
Worker versioning. The build id is the release's, one for every pool, so a pinned experiment's
activities on a pool's queues run on its build too: versioning.buildId, else the image tag, else
the digest, else appVersion.
*/}}
{{- define "mpctl.buildId" -}}
{{- $v := .Values.versioning -}}
{{- if $v.buildId -}}
{{- $v.buildId -}}
{{- else if .Values.image.tag -}}
{{- .Values.image.tag -}}
{{- else if .Values.image.digest -}}
{{- .Values.image.digest | replace ":" "-" -}}
{{- else -}}
{{- .Chart.AppVersion -}}
{{- end -}}
{{- end -}}

{{/* The Worker Deployment name: dots are not allowed in it. */}}
{{- define "mpctl.deploymentName" -}}
{{- default (include "mpctl.fullname" .) .Values.versioning.deploymentName | replace "." "-" -}}
{{- end -}}

{{/* A build's short label: Kubernetes names and label values cannot hold every build id. */}}
{{- define "mpctl.buildHash" -}}
{{- include "mpctl.buildId" . | sha256sum | trunc 8 -}}
{{- end -}}

{{/*
A worker Deployment's name: (list $ "worker"). With versioning, one per build, so an upgrade starts
the new build beside the old, which keeps serving its pinned experiments until it drains.
*/}}
{{- define "mpctl.workerDeploymentName" -}}
{{- $global := index . 0 -}}
{{- $component := index . 1 -}}
{{- if $global.Values.versioning.enabled -}}
{{- include "mpctl.componentname" (list $global (printf "%s-%s" $component (include "mpctl.buildHash" $global))) -}}
{{- else -}}
{{- include "mpctl.componentname" (list $global $component) -}}
{{- end -}}
{{- end -}}

{{/* Deployment name and build id for every worker; the routing switch only with versioning on. */}}
{{- define "mpctl.versioningEnv" -}}
- name: MPCTL_DEPLOYMENT_NAME
  value: {{ include "mpctl.deploymentName" . | quote }}
- name: MPCTL_BUILD_ID
  value: {{ include "mpctl.buildId" . | quote }}
{{- if .Values.versioning.enabled }}
- name: MPCTL_WORKER_VERSIONING
  value: "true"
{{- end }}
{{- end -}}
