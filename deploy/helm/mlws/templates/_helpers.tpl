{{/* The labels every object of the chart carries: deploy/default's, and Helm's own. */}}
{{- define "mlws.labels" -}}
app.kubernetes.io/part-of: mlws
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}

{{/* repository:tag, or repository:tag@digest when a digest is given; the tag defaults to appVersion. */}}
{{- define "mlws.image" -}}
{{- $tag := .image.tag | default .chart.AppVersion -}}
{{- if .image.digest -}}
{{ printf "%s:%s@%s" .image.repository $tag .image.digest }}
{{- else -}}
{{ printf "%s:%s" .image.repository $tag }}
{{- end -}}
{{- end }}

{{/* The operator's ServiceAccount, as a subject of its bindings. */}}
{{- define "mlws.subject" -}}
- kind: ServiceAccount
  name: mlws-operator
  namespace: {{ .Release.Namespace }}
{{- end }}
