import type { PostBodyData } from "#app/presenters/post-card.server.ts";

type Media = PostBodyData["media"][number];

/** The form field that carries an attachment's alt text, named for the attachment. */
export const altFieldOf = (id: string) => `alt:${id}`;

/**
 * Attachments a post already has (when editing) or kept from a deleted one (when redrafting): each with a "Keep" box
 * and its alt text, editable. Plain form fields, so it works without JavaScript.
 */
export function AttachedMedia({ id, media, values = {} }: { id: string; media: Media[]; values?: Record<string, string> }) {
  if (media.length === 0) return null;
  return (
    <fieldset className="flex flex-col gap-2 text-sm">
      <legend className="font-medium">Attached</legend>
      <ul className="grid grid-cols-2 gap-2">
        {media.map((item, index) => (
          <li key={item.id} className="flex flex-col gap-1 rounded-lg border border-line p-2">
            <img src={item.previewUrl ?? item.url} alt="" className="aspect-video w-full rounded object-cover" />
            <label className="flex items-center gap-2">
              <input type="checkbox" name="keepMedia" value={item.id} defaultChecked />
              {`Keep attachment ${index + 1}`}
            </label>
            <label htmlFor={`${id}-kept-alt-${index}`} className="font-medium">{`Description of attachment ${index + 1} (alt text)`}</label>
            <textarea
              id={`${id}-kept-alt-${index}`}
              name={altFieldOf(item.id)}
              rows={2}
              maxLength={1500}
              defaultValue={values[altFieldOf(item.id)] ?? item.description}
              className="rounded border border-line bg-surface px-2 py-1"
            />
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
