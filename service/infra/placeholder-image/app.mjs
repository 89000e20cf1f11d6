const body = JSON.stringify({
  error: "not_deployed",
  message: "No model has been promoted to this function yet: merge to main to deploy one.",
});

export const handler = async () => ({
  statusCode: 503,
  headers: { "content-type": "application/json", "retry-after": "300" },
  body,
});
