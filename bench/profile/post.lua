-- wrk script for profile-passthrough.sh: POSTs the body file named by BODY_FILE as an Anthropic Messages call.
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
local body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-api-key"] = "sk-ant-profile"
wrk.headers["anthropic-version"] = "2023-06-01"
