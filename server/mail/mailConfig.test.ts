// Email settings and the parts of a mail that need no server: SMTP_URL/MAIL_FROM validation
// (a malformed value stops start-up naming it), escaping of what people wrote. (The limit on
// reset mails per account: server/auth/throttleWindow.test.ts.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { ConfigError, loadConfig } from "../config.ts";
import { describeSmtpUrl, mailConfigOf } from "./mailConfig.ts";
import { invitationMail } from "./invitationMail.ts";

const names = (variable: string) => (error: unknown) => error instanceof ConfigError && error.variable === variable && error.message.includes(variable);

test("email is off unless SMTP_URL is set; with it, MAIL_FROM is required and both are kept", () => {
  assert.equal(loadConfig({}).mail, null);
  assert.equal(mailConfigOf({ SMTP_URL: "", MAIL_FROM: "" }), null);
  assert.deepEqual(loadConfig({ SMTP_URL: "smtps://docs:secret@mail.example.com:465", MAIL_FROM: "Collab <docs@example.com>" }).mail, {
    smtpUrl: "smtps://docs:secret@mail.example.com:465",
    from: "Collab <docs@example.com>",
  });
  assert.equal(mailConfigOf({ SMTP_URL: "smtp://localhost:25", MAIL_FROM: "docs@example.com" })?.from, "docs@example.com");
});

test("a malformed SMTP_URL or MAIL_FROM, or half a configuration, is refused naming the variable", () => {
  const from = "docs@example.com";
  for (const smtpUrl of ["not a url", "http://mail.example.com", "mail.example.com:587", "smtp://"]) {
    assert.throws(() => loadConfig({ SMTP_URL: smtpUrl, MAIL_FROM: from }), names("SMTP_URL"), smtpUrl);
  }
  assert.throws(() => loadConfig({ SMTP_URL: "smtp://localhost:25" }), names("MAIL_FROM"), "MAIL_FROM missing");
  assert.throws(() => loadConfig({ MAIL_FROM: from }), names("MAIL_FROM"), "MAIL_FROM without SMTP_URL");
  for (const bad of ["docs", "Collab <docs>", "a@b@c.d", "Collab <docs@example.com", 'x" <docs@example.com>']) {
    assert.throws(() => loadConfig({ SMTP_URL: "smtp://localhost:25", MAIL_FROM: bad }), names("MAIL_FROM"), bad);
  }
});

test("the SMTP server is described without its password", () => {
  assert.equal(describeSmtpUrl("smtps://docs%40example.com:hunter2@mail.example.com:465"), "smtps://docs@example.com@mail.example.com:465");
  assert.equal(describeSmtpUrl("smtp://localhost:2525"), "smtp://localhost:2525");
});

test("the server refuses to start on a malformed SMTP_URL and names it", () => {
  const result = spawnSync(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    env: { ...process.env, SMTP_URL: "smtp//mail.example.com", MAIL_FROM: "docs@example.com", NODE_ENV: "production", PORT: "0" },
    encoding: "utf8",
    timeout: 30_000,
  });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /Invalid SMTP_URL/);
});

test("what people wrote is escaped in the HTML part and kept as written in the text part", () => {
  const mail = invitationMail({
    to: "new@example.test",
    url: "https://docs.example.com/sign-up?invite=abc&email=new%40example.test",
    expiresAt: new Date("2026-12-07T10:00:00Z"),
    inviterName: `Eve <img src=x onerror=alert(1)>`,
    publicUrl: "https://docs.example.com",
    document: { title: `<script>alert("x")</script> & plans`, role: "editor" },
  });
  assert.doesNotMatch(mail.body.html, /<script|<img/);
  assert.match(mail.body.html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; plans/);
  assert.match(mail.body.html, /href="https:\/\/docs\.example\.com\/sign-up\?invite=abc&amp;email=new%40example\.test"/);
  assert.match(mail.body.text, /<script>alert\("x"\)<\/script> & plans/);
  assert.match(mail.body.text, /https:\/\/docs\.example\.com\/sign-up\?invite=abc&email=new%40example\.test/);
  assert.match(mail.body.text, /7 December 2026/);
});

