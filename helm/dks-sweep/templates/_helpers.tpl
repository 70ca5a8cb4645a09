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
{{- if not .Values.database.url -}}
{{- fail "database.url is required: jdbc:postgresql://<host>:<port>/<database> of the PostgreSQL that holds the sweeps" -}}
{{- end -}}
{{- if not .Values.database.existingSecret -}}
{{- fail "database.existingSecret is required: a Secret with the database user and password (keys database.usernameKey, database.passwordKey)" -}}
{{- end -}}
{{- if and $d.reader.enabled (not $d.reader.existingSecret) -}}
{{- fail "dashboard.reader.enabled needs dashboard.reader.existingSecret: a Secret with the user and password of a member of the dks_reader role" -}}
{{- end -}}
{{- if and (eq $d.auth "token") (not $d.token.existingSecret) -}}
{{- fail "dashboard.auth=token needs dashboard.token.existingSecret: a Secret holding the token" -}}
{{- end -}}
{{- if and (eq $d.auth "oidc") (or (not $d.oidc.authServerUrl) (not $d.oidc.clientId)) -}}
{{- fail "dashboard.auth=oidc needs dashboard.oidc.authServerUrl and dashboard.oidc.clientId" -}}
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
