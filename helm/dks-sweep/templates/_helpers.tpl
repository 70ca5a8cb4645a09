{{/* The release's full name, at most 63 characters. */}}
{{- define "dks-sweep.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "dks-sweep.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "dks-sweep.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "dks-sweep.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "dks-sweep.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Value checks the schema cannot express, with the fix in the message. */}}
{{- define "dks-sweep.validate" -}}
{{- $d := .Values.dashboard -}}
{{- if .Values.postgresql.enabled -}}
{{- if or .Values.database.url .Values.database.existingSecret -}}
{{- fail "database.url and database.existingSecret are for an external PostgreSQL: set postgresql.enabled=false with them, or leave them empty for the bundled one" -}}
{{- end -}}
{{- if or $d.reader.enabled $d.reader.existingSecret -}}
{{- fail "dashboard.reader is for an external PostgreSQL: the bundled one (postgresql.enabled) always gives the dashboard its read-only user" -}}
{{- end -}}
{{- else -}}
{{- if not .Values.database.url -}}
{{- fail "database.url is required with postgresql.enabled=false: jdbc:postgresql://<host>:<port>/<database> of the PostgreSQL that holds the sweeps (or postgresql.enabled=true for the bundled one)" -}}
{{- end -}}
{{- if not .Values.database.existingSecret -}}
{{- fail "database.existingSecret is required with postgresql.enabled=false: a Secret with the database user and password (keys database.usernameKey, database.passwordKey)" -}}
{{- end -}}
{{- if and $d.reader.enabled (not $d.reader.existingSecret) -}}
{{- fail "dashboard.reader.enabled needs dashboard.reader.existingSecret: a Secret with the user and password of a member of the dks_reader role" -}}
{{- end -}}
{{- end -}}
{{- if and (eq $d.auth "token") (not $d.token.existingSecret) -}}
{{- fail "dashboard.auth=token needs dashboard.token.existingSecret: a Secret holding the token" -}}
{{- end -}}
{{- if and (eq $d.auth "oidc") (or (not $d.oidc.authServerUrl) (not $d.oidc.clientId)) -}}
{{- fail "dashboard.auth=oidc needs dashboard.oidc.authServerUrl and dashboard.oidc.clientId" -}}
{{- end -}}
{{- if and .Values.watch.allNamespaces .Values.watch.namespaces -}}
{{- fail "watch.allNamespaces=true watches every namespace: leave watch.namespaces empty" -}}
{{- end -}}
{{- end -}}

{{/* The bundled PostgreSQL's name (StatefulSet, Service, Secret). */}}
{{- define "dks-sweep.postgresql" -}}
{{- printf "%s-postgresql" (include "dks-sweep.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The bundled PostgreSQL's pods: a name of their own, so no selector of the operator's matches them. */}}
{{- define "dks-sweep.postgresqlSelectorLabels" -}}
app.kubernetes.io/name: postgresql
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: database
{{- end -}}

{{/*
A generated secret value (base64), kept: the value the installed Secret already holds under this
key (an upgrade), else 32 random characters (the first install). Takes ctx, name and key.
*/}}
{{- define "dks-sweep.keptSecret" -}}
{{- $s := lookup "v1" "Secret" .ctx.Release.Namespace .name -}}
{{- if and $s $s.data (hasKey $s.data .key) -}}
{{- index $s.data .key -}}
{{- else -}}
{{- randAlphaNum 32 | b64enc -}}
{{- end -}}
{{- end -}}

{{/* The JDBC URL of the sweeps' database: the bundled PostgreSQL's, or database.url. */}}
{{- define "dks-sweep.databaseUrl" -}}
{{- if .Values.postgresql.enabled -}}
{{- printf "jdbc:postgresql://%s.%s.svc:5432/dks" (include "dks-sweep.postgresql" .) .Release.Namespace -}}
{{- else -}}
{{- .Values.database.url -}}
{{- end -}}
{{- end -}}

{{/* The Secret that signs the trainers' tokens: ingest.existingSecret, or the chart's own. */}}
{{- define "dks-sweep.ingestSecret" -}}
{{- default (printf "%s-ingest" (include "dks-sweep.fullname" .)) .Values.ingest.existingSecret -}}
{{- end -}}

{{/* The namespaces whose Sweeps the operator reconciles (watch.namespaces, else the release's). */}}
{{- define "dks-sweep.watchedNamespaces" -}}
{{- if .Values.watch.namespaces -}}
{{- join "," (uniq .Values.watch.namespaces) -}}
{{- else -}}
{{- .Release.Namespace -}}
{{- end -}}
{{- end -}}

{{/* A map as key=value pairs joined by commas (label keys and values hold neither). */}}
{{- define "dks-sweep.pairs" -}}
{{- $out := list -}}
{{- range $k, $v := . -}}
{{- $out = append $out (printf "%s=%s" $k $v) -}}
{{- end -}}
{{- join "," $out -}}
{{- end -}}

{{/*
The operator's rights on Sweeps and their trial workloads, exactly what it uses: it reconciles
Sweeps (status, finalizer), creates and deletes each trial attempt's Job and Secret, watches the
trial pods and reads their logs for the dashboard, and records Events on Sweeps.
*/}}
{{- define "dks-sweep.workloadRules" -}}
- apiGroups: ["dkssweep.dev"]
  resources: ["sweeps"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["dkssweep.dev"]
  resources: ["sweeps/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["dkssweep.dev"]
  resources: ["sweeps/finalizers"]
  verbs: ["update"]
# patch: a failed attempt's Job kept for inspection is labelled retained (trainer.cleanup)
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["create", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["pods/log"]
  verbs: ["get"]
{{- end -}}
