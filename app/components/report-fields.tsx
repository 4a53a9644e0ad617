import { reportCategories } from "#db/schema/index.ts";
import type { ReportCategory } from "#domain/moderation/reports.ts";

/** What each category means, in the reporter's words. */
const categoryLabels: Record<ReportCategory, { label: string; hint: string }> = {
  spam: { label: "Spam", hint: "Ads, scams, repeated or automated posting." },
  harassment: { label: "Harassment", hint: "Targeting, threatening or bullying someone." },
  hate: { label: "Hate", hint: "Attacks on people for who they are." },
  violence: { label: "Violence", hint: "Threats, glorified or graphic violence." },
  sexual: { label: "Sexual content", hint: "Sexual content, or nudity not marked sensitive." },
  self_harm: { label: "Self-harm", hint: "Encouraging suicide or self-harm." },
  misinformation: { label: "Misinformation", hint: "False information that could cause harm." },
  illegal: { label: "Illegal", hint: "Something against the law." },
  other: { label: "Something else", hint: "Tell the moderators in the comment." },
};

/** The report forms' category choice (an account, its posts, or a chat message), keeping what was chosen. */
export function ReportCategoryField({ selected, error }: { selected: string; error?: string }) {
  return (
    <fieldset className="flex flex-col gap-2" aria-describedby={error ? "report-category-error" : undefined}>
      <legend className="mb-1 font-bold">What is wrong?</legend>
      {reportCategories.map((value) => (
        <label key={value} className="flex items-start gap-3 rounded-lg p-2 hover:bg-raised">
          <input type="radio" name="category" value={value} defaultChecked={selected === value} className="mt-1" />
          <span className="font-medium">
            {categoryLabels[value].label}
            <span className="block text-sm font-normal text-muted">{categoryLabels[value].hint}</span>
          </span>
        </label>
      ))}
      {error && (
        <p id="report-category-error" className="text-sm font-medium text-danger">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** The report forms' optional comment, keeping what was typed. */
export function ReportCommentField({ value, error }: { value: string; error?: string }) {
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor="report-comment" className="font-medium">
        Anything the moderators should know? (optional)
      </label>
      <textarea
        id="report-comment"
        name="comment"
        rows={4}
        maxLength={1000}
        defaultValue={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "report-comment-error" : undefined}
        className="rounded-lg border border-line bg-surface px-3 py-2 text-ink"
      />
      {error && (
        <p id="report-comment-error" className="text-sm font-medium text-danger">
          {error}
        </p>
      )}
    </div>
  );
}
