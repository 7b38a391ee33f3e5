/**
 * The API enqueue baseline: an express 5 hello-world that parses a JSON body and answers 202 with
 * a small JSON object, so the comparison is "our route" against "express itself". Run as a child
 * process: `PORT=... node express-hello.ts`.
 */
import express from "express";

const app = express();
app.use(express.json());
app.post("/", (_req, res) => {
  res.status(202).json({ id: "job_hello", status: "queued" });
});
app.get("/healthz", (_req, res) => {
  res.json({ ok: true });
});
const server = app.listen(Number(process.env.PORT ?? 0), "127.0.0.1");
// A clean exit on SIGTERM lets --cpu-prof write its profile.
process.once("SIGTERM", () => server.close(() => process.exit(0)));
