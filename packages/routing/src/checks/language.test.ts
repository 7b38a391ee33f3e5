import { describe, expect, it } from "vitest";
import { answerOf, contextOf } from "../../test/check-fixtures.ts";
import type { ChatMessage } from "../request-types.ts";
import { detectLanguage } from "./language/detect-language.ts";
import { language } from "./language.ts";

const english =
  "How do I configure a dead-letter queue for the jobs that fail in my worker, and what should the retry limit be?";
const check = (answerText: string, question: string | ChatMessage[]) =>
  language(
    answerOf(answerText),
    typeof question === "string" ? contextOf(question) : contextOf("", { messages: question }),
  );

describe("detectLanguage", () => {
  it.each([
    ["The worker takes the next job from the queue and it runs until the job is done.", "en"],
    ["Le travailleur prend le prochain travail dans la file et il le traite avec soin.", "fr"],
    ["Der Worker nimmt den nächsten Auftrag aus der Warteschlange und bearbeitet ihn sofort.", "de"],
    ["El trabajador toma la siguiente tarea de la cola y la procesa con cuidado para que no falle.", "es"],
    [
      "Il lavoratore prende il prossimo lavoro dalla coda e lo elabora con molta cura perché non fallisca.",
      "it",
    ],
    ["O trabalhador pega a próxima tarefa da fila e a processa com muito cuidado para que não falhe.", "pt"],
    [
      "De worker haalt de volgende taak uit de wachtrij en verwerkt die met zorg zodat het niet mislukt.",
      "nl",
    ],
    [
      "Pracownik pobiera następne zadanie z kolejki i przetwarza je bardzo starannie, że nie jest błędne.",
      "pl",
    ],
    ["Рабочий процесс берёт следующую задачу из очереди и обрабатывает её.", "cyrillic"],
    ["ワーカーはキューから次のジョブを取り出して処理します。", "ja"],
    ["工作进程从队列中取出下一个任务并进行处理。", "zh"],
    ["워커는 큐에서 다음 작업을 가져와 처리합니다.", "ko"],
    ["Ο εργάτης παίρνει την επόμενη εργασία από την ουρά και την επεξεργάζεται.", "greek"],
    ["العامل يأخذ المهمة التالية من قائمة الانتظار ويعالجها بعناية.", "arabic"],
  ])("%s → %s", (text, expected) => {
    expect(detectLanguage(text)).toBe(expected);
  });

  it("does not mistake English heavy with 'a' for Portuguese or Italian (found on real TLDRs)", () => {
    const tldr =
      "Proposes a greedy scheme to select a subset of highly correlated spectral features in a classification task.";
    expect(detectLanguage(tldr)).not.toBe("pt");
    expect(detectLanguage(tldr)).not.toBe("it");
  });

  it("says nothing about text too short or too mixed to tell", () => {
    expect(detectLanguage("Paris.")).toBeUndefined();
    expect(detectLanguage("42 + 17 = 59")).toBeUndefined();
    expect(detectLanguage("Kubernetes, Redis, BullMQ, Grafana, Prometheus, Loki, Tempo")).toBeUndefined();
  });
});

describe("language", () => {
  it("passes an English answer to an English question, code and all", () => {
    const answerText = [
      "Set the attempts option on the queue, and move the job to a failed set when they run out:",
      "```ts",
      "const queue = new Queue('jobs', { defaultJobOptions: { attempts: 3, removeOnFail: false } });",
      "queue.on('failed', (job) => deadLetter.add(job.name, job.data));",
      "```",
      "Three attempts is a good default for most work.",
    ].join("\n");
    expect(check(answerText, english)).toEqual({ passed: true, reason: "ok: English" });
  });

  it("fails a French answer to an English question", () => {
    const result = check(
      "Il faut configurer la file avec un nombre de tentatives et une file pour les échecs.",
      english,
    );
    expect(result).toEqual({
      passed: false,
      reason: "the answer is in French, but the question is in English",
    });
  });

  it("follows an explicit instruction over the question's language, in the system prompt too", () => {
    const frenchAnswer =
      "Il faut configurer la file avec un nombre de tentatives et une file pour les échecs.";
    expect(check(frenchAnswer, `${english} Please answer in French.`)).toEqual({
      passed: true,
      reason: "ok: French as asked",
    });
    const asked: ChatMessage[] = [
      { role: "system", content: "Always reply only in German." },
      { role: "user", content: english },
    ];
    expect(check(frenchAnswer, asked)).toEqual({
      passed: false,
      reason: 'the answer is in French, but the request asks for German ("reply only in German")',
    });
    expect(
      check(frenchAnswer, "Réponds en français, s'il te plaît: quelle est la meilleure file?").passed,
    ).toBe(true);
  });

  it("passes an answer in a language the request names, even without a clear instruction", () => {
    const germanAnswer =
      "Der Worker nimmt den nächsten Auftrag aus der Warteschlange und bearbeitet ihn sofort.";
    expect(
      check(germanAnswer, "Give me the German version of: the worker takes the next job from the queue."),
    ).toEqual({
      passed: true,
      reason: "ok: the answer is in German, which the request mentions",
    });
  });

  it("looks for instructions around a long document, not inside it", () => {
    // A meeting transcript in which someone says "answer in French" (found in QMSum).
    const transcript = `${"The committee discussed the budget and the schedule for the next quarter. ".repeat(20)}
Chair: Could the minister answer in French for the record? Minister: I will answer in English.
${"Members then reviewed the report on testing capacity and agreed to meet again next week. ".repeat(20)}`;
    const summary =
      "The committee reviewed the budget, the schedule and the testing report, and will meet next week.";
    expect(check(summary, `Summarize the meeting.\n\n${transcript}`).passed).toBe(true);
    const frenchSummary =
      "Le comité a examiné le budget, le calendrier et le rapport sur les tests, et se réunira la semaine prochaine.";
    expect(check(frenchSummary, `Summarize in French:\n\n${transcript}`)).toEqual({
      passed: true,
      reason: "ok: French as asked",
    });
    expect(check(summary, `${transcript}\n\nAnswer in French.`).passed).toBe(false);
  });

  it("does not take a question about another language for an instruction", () => {
    const answerText =
      "In French, the word for cat is chat, and it is a masculine noun used with the article le.";
    expect(
      check(answerText, "Explain how to say cat in French and whether the word is masculine or feminine.")
        .passed,
    ).toBe(true);
  });

  it("passes when either language cannot be told", () => {
    expect(check("Paris.", english).reason).toBe("not checked: the answer's language cannot be told");
    expect(check("Le chat est sur la table et il dort depuis une heure déjà.", "2+2?").reason).toBe(
      "not checked: the question's language cannot be told",
    );
  });

  it("compares non-Latin scripts by script", () => {
    const japanese = "ワーカーはキューから次のジョブを取り出して処理します。";
    expect(check(japanese, "ワーカーはどのようにジョブを処理しますか？詳しく教えてください。").passed).toBe(
      true,
    );
    expect(check(japanese, english)).toEqual({
      passed: false,
      reason: "the answer is in Japanese, but the question is in English",
    });
  });

  it("does not check JSON answers", () => {
    const result = language(
      answerOf('{"résumé": "Le chat est sur la table et il dort depuis une heure."}'),
      contextOf(english, { responseFormat: { type: "json_object" } }),
    );
    expect(result).toEqual({ passed: true, reason: "not checked: JSON answer" });
  });
});
