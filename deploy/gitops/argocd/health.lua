-- Argo CD health check for mlws.io/MLWebService.
-- Register it under the key resource.customizations.health.mlws.io_MLWebService in argocd-cm
-- (see docs/gitops.md). It reads the same kstatus conditions Flux and kubectl wait read. A service that
-- serves without the Application Insights telemetry its spec asks for is Stalled, so Degraded here.
local hs = {}
if obj.status == nil or obj.status.observedGeneration == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the mlws operator to observe this MLWebService"
  return hs
end
if obj.metadata.generation ~= nil and obj.status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the mlws operator to observe generation " .. obj.metadata.generation
  return hs
end
local ready = nil
local stalled = nil
local reconciling = nil
if obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "Ready" then
      ready = condition
    elseif condition.type == "Stalled" then
      stalled = condition
    elseif condition.type == "Reconciling" then
      reconciling = condition
    end
  end
end
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = stalled.message or stalled.reason or "Stalled"
  return hs
end
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or "Ready"
  return hs
end
hs.status = "Progressing"
if reconciling ~= nil and reconciling.message ~= nil then
  hs.message = reconciling.message
elseif ready ~= nil and ready.message ~= nil then
  hs.message = ready.message
else
  hs.message = "Waiting for the scorer to become ready"
end
return hs
