{{/* Names and labels, in the style of the bjw-s common library (one controller per role). */}}
{{- define "photo-sync.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "photo-sync.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one role: (dict "root" $ "role" "server") */}}
{{- define "photo-sync.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .role }}
{{- end -}}

{{/* The image of one role: (dict "root" $ "repository" "photo-sync/server") */}}
{{- define "photo-sync.image" -}}
{{- $tag := .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- if .root.Values.image.registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" .root.Values.image.registry) .repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .repository $tag -}}
{{- end -}}
{{- end -}}

{{/* A value the chart cannot run without. */}}
{{- define "photo-sync.required" -}}
{{- required (printf "%s is required (see values.yaml and docs/DEPLOYMENT.md)" .name) .value -}}
{{- end -}}

{{/* Environment of every role: connections from existing Secrets, never from values. */}}
{{- define "photo-sync.env" -}}
- name: NODE_ENV
  value: production
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: DATA_DIR
  value: /data
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "photo-sync.required" (dict "name" "database.urlSecret.name" "value" .Values.database.urlSecret.name) }}
      key: {{ .Values.database.urlSecret.key }}
- name: DATABASE_PREPARED_STATEMENTS
  value: {{ .Values.database.preparedStatements | quote }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "photo-sync.required" (dict "name" "redis.urlSecret.name" "value" .Values.redis.urlSecret.name) }}
      key: {{ .Values.redis.urlSecret.key }}
- name: QUEUE_PREFIX
  value: {{ .Values.redis.queuePrefix | quote }}
- name: JWT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "photo-sync.required" (dict "name" "jwt.secret.name" "value" .Values.jwt.secret.name) }}
      key: {{ .Values.jwt.secret.key }}
{{- with .Values.env }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Volumes of the roles that read photos (server, worker): data dir, library, /tmp. */}}
{{- define "photo-sync.volumes" -}}
- name: data
  persistentVolumeClaim:
    claimName: {{ include "photo-sync.required" (dict "name" "persistence.data.existingClaim" "value" .Values.persistence.data.existingClaim) }}
- name: library
  persistentVolumeClaim:
    claimName: {{ include "photo-sync.required" (dict "name" "persistence.library.existingClaim" "value" .Values.persistence.library.existingClaim) }}
    readOnly: {{ .Values.persistence.library.readOnly }}
- name: tmp
  emptyDir: {}
{{- end -}}

{{- define "photo-sync.volumeMounts" -}}
- name: data
  mountPath: /data
- name: library
  mountPath: {{ .Values.persistence.library.mountPath }}
  readOnly: {{ .Values.persistence.library.readOnly }}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{/* Worker and scheduler: healthy while the heartbeat file is younger than a minute. */}}
{{- define "photo-sync.heartbeatProbe" -}}
exec:
  command: ['sh', '-c', 'test -n "$(find /tmp/photo-sync.heartbeat -mmin -1 2>/dev/null)"']
timeoutSeconds: 5
{{- end -}}
