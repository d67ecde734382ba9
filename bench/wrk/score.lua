-- POST /score with one iris row, as an Azure ML client sends it.
wrk.method = "POST"
wrk.path = "/score"
wrk.body = '{"data": [[5.1, 3.5, 1.4, 0.2]]}'
wrk.headers["Content-Type"] = "application/json"
