{{/* Names: <release>-flowforge unless overridden, cut to 63 characters (DNS labels). */}}
{{- define "flowforge.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "flowforge.fullname" -}}
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

{{/* A component's name: fullname-<component>, still within 63 characters. */}}
{{- define "flowforge.componentName" -}}
{{- printf "%s-%s" (include "flowforge.fullname" .root | trunc (int (sub 62 (len .component))) | trimSuffix "-") .component -}}
{{- end -}}

{{- define "flowforge.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
{{ include "flowforge.selectorLabels" . }}
{{- end -}}

{{- define "flowforge.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flowforge.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "flowforge.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{/* The control plane's HTTP port inside the pod (API, webhooks, UI, /metrics). */}}
{{- define "flowforge.controlPlanePort" -}}4000{{- end -}}

{{- define "flowforge.controlPlaneUrl" -}}
{{- printf "http://%s:%d" (include "flowforge.componentName" (dict "root" . "component" "control-plane")) (int .Values.controlPlane.service.port) -}}
{{- end -}}

{{/* Inline keys mean the chart writes the Secrets; else the named existing Secrets are used. */}}
{{- define "flowforge.inlineKeys" -}}
{{- $s := .Values.secrets -}}
{{- if or $s.runSigningPrivateKey $s.encryptionKey $s.workerToken $s.runSigningPublicKey -}}
{{- if not (and $s.runSigningPrivateKey $s.encryptionKey $s.workerToken $s.runSigningPublicKey) -}}
{{- fail "secrets: give all four of runSigningPrivateKey, encryptionKey, workerToken and runSigningPublicKey inline, or none (and name existingSecret / workerExistingSecret)" -}}
{{- end -}}
true
{{- end -}}
{{- end -}}

{{- define "flowforge.controlPlaneSecret" -}}
{{- if include "flowforge.inlineKeys" . -}}
{{- include "flowforge.componentName" (dict "root" . "component" "control-plane") -}}
{{- else -}}
{{- required "secrets.existingSecret: name the control plane's Secret (run-signing-private-key, encryption-key, worker-token) or give the keys inline" .Values.secrets.existingSecret -}}
{{- end -}}
{{- end -}}

{{- define "flowforge.workerSecret" -}}
{{- if include "flowforge.inlineKeys" . -}}
{{- include "flowforge.componentName" (dict "root" . "component" "worker") -}}
{{- else -}}
{{- required "secrets.workerExistingSecret: name the workers' Secret (worker-token, run-signing-public-key) or give the keys inline" .Values.secrets.workerExistingSecret -}}
{{- end -}}
{{- end -}}

{{/* The Secret and key holding the database URL. */}}
{{- define "flowforge.databaseSecret" -}}
{{- if .Values.postgresql.external.url -}}
{{- include "flowforge.componentName" (dict "root" . "component" "database") -}}
{{- else -}}
{{- required "postgresql.external: set url or existingSecret" .Values.postgresql.external.existingSecret -}}
{{- end -}}
{{- end -}}

{{- define "flowforge.databaseSecretKey" -}}
{{- if .Values.postgresql.external.url -}}url{{- else -}}{{ .Values.postgresql.external.existingSecretKey }}{{- end -}}
{{- end -}}

{{/* Temporal connection variables, the same for the control plane and the workers. */}}
{{- define "flowforge.temporalEnv" -}}
FLOWFORGE_TEMPORAL_ADDRESS: {{ .Values.temporal.external.address | quote }}
FLOWFORGE_TEMPORAL_NAMESPACE: {{ .Values.temporal.external.namespace | quote }}
FLOWFORGE_TEMPORAL_TLS: {{ .Values.temporal.external.tls.enabled | toString | quote }}
{{- with .Values.temporal.external.tls }}
{{- if and .enabled .existingSecret .clientCert }}
FLOWFORGE_TEMPORAL_TLS_CERT_FILE: /etc/flowforge/temporal-tls/tls.crt
FLOWFORGE_TEMPORAL_TLS_KEY_FILE: /etc/flowforge/temporal-tls/tls.key
{{- end }}
{{- if and .enabled .existingSecret .ca }}
FLOWFORGE_TEMPORAL_TLS_CA_FILE: /etc/flowforge/temporal-tls/ca.crt
{{- end }}
{{- if .serverName }}
FLOWFORGE_TEMPORAL_TLS_SERVER_NAME: {{ .serverName | quote }}
{{- end }}
{{- end }}
{{- with .Values.tracing.otlpEndpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
{{- end }}
FLOWFORGE_HOME: /var/lib/flowforge
FLOWFORGE_ARTIFACTS_DIR: /var/lib/flowforge-artifacts
{{- end -}}

{{/* Writable paths under a read-only root: /tmp and the home are per pod, artefacts are shared. */}}
{{- define "flowforge.volumeMounts" -}}
- { name: tmp, mountPath: /tmp }
- { name: home, mountPath: /var/lib/flowforge }
- { name: artifacts, mountPath: /var/lib/flowforge-artifacts }
{{- if and .Values.temporal.external.tls.enabled .Values.temporal.external.tls.existingSecret }}
- { name: temporal-tls, mountPath: /etc/flowforge/temporal-tls, readOnly: true }
{{- end }}
{{- end -}}

{{- define "flowforge.volumes" -}}
- name: tmp
  emptyDir: {}
- name: home
  emptyDir: {}
- name: artifacts
{{- if .Values.artifacts.persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ default (include "flowforge.componentName" (dict "root" . "component" "artifacts")) .Values.artifacts.persistence.existingClaim }}
{{- else }}
  emptyDir: {}
{{- end }}
{{- with .Values.temporal.external.tls }}
{{- if and .enabled .existingSecret }}
- name: temporal-tls
  secret:
    secretName: {{ .existingSecret }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "flowforge.podSecurity" -}}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/* An HPA on CPU for a Deployment of the same name. */}}
{{- define "flowforge.cpuHpa" -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ .name }}
  labels:
    {{- include "flowforge.labels" (dict "root" .root "component" .component) | nindent 4 }}
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: {{ .name }} }
  minReplicas: {{ .autoscaling.minReplicas }}
  maxReplicas: {{ .autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: { type: Utilization, averageUtilization: {{ .autoscaling.targetCPUUtilizationPercentage }} }
{{- end -}}
