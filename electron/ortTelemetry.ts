// Keeps ONNX Runtime's telemetry off. onnxruntime-node 1.30 on Linux records usage events with a
// device id in ~/.cache/Microsoft/DeveloperTools/.onnxruntime/onnxruntime.db (for upload) and
// leaves `mat-debug-<pid>.log` and `.ses` in the temporary folder of every process that creates a
// session, unless ORT_DISABLE_TELEMETRY is set when the first session is created. Nothing of the
// user's leaves the machine, so every entry point imports this module first; child processes
// (engine, training host, bench rows) inherit the variable.
process.env.ORT_DISABLE_TELEMETRY ??= '1';

export {};
