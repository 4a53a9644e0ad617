import { useEffect, useRef, useState, useSyncExternalStore } from "react";

const ACCEPT = "image/jpeg,image/png,image/gif,image/webp,image/avif,video/mp4,video/webm,video/quicktime";
const MAX_FILES = 4;

type Picked = { file: File; preview: string };

/** What the server would refuse, said before sending: too many files, or a video or GIF alongside others. */
function problemWith(files: File[], attached: number): string | null {
  if (files.length + attached > MAX_FILES)
    return attached > 0 ? `A post has at most ${MAX_FILES} images; ${attached} already attached.` : `Choose at most ${MAX_FILES} images.`;
  const single = files.some((file) => file.type.startsWith("video/") || file.type === "image/gif");
  if (single && files.length + attached > 1) return "A video or GIF must be the only attachment.";
  return null;
}

/**
 * Attachments for a post: a file input that works without JavaScript (its Attach button stores the files and brings
 * the form back with a preview and a description field for each, see composerAction), and with JavaScript previews
 * of what was chosen, a description beside each, and a way to take one out again.
 */
export function MediaPicker({ id, error, attached = 0 }: { id: string; error?: string; attached?: number }) {
  const hydrated = useSyncExternalStore(
    () => () => undefined,
    () => true,
    () => false,
  );
  const [picked, setPicked] = useState<Picked[]>([]);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => () => picked.forEach((item) => URL.revokeObjectURL(item.preview)), [picked]);

  const choose = (files: File[]) => {
    setPicked(files.map((file) => ({ file, preview: URL.createObjectURL(file) })));
  };
  const remove = (index: number) => {
    const kept = picked.filter((_, position) => position !== index).map((item) => item.file);
    const transfer = new DataTransfer();
    kept.forEach((file) => transfer.items.add(file));
    if (input.current) input.current.files = transfer.files;
    choose(kept);
  };
  const problem =
    problemWith(
      picked.map((item) => item.file),
      attached,
    ) ?? error;

  return (
    <div className="flex flex-col gap-2 text-sm">
      <label htmlFor={`${id}-media`} className="font-medium">
        {attached > 0 ? "Add images" : "Images or a video"}{" "}
        <span className="font-normal text-muted">(up to 4 images, or 1 video or GIF)</span>
      </label>
      <input
        ref={input}
        id={`${id}-media`}
        type="file"
        name="media"
        multiple
        accept={ACCEPT}
        onChange={(event) => choose([...(event.currentTarget.files ?? [])])}
        aria-describedby={problem ? `${id}-media-problem` : undefined}
        className="text-sm file:mr-3 file:rounded-full file:border file:border-line file:bg-surface file:px-3 file:py-1.5 file:font-semibold"
      />
      {problem && (
        <p id={`${id}-media-problem`} role="alert" className="font-medium text-danger">
          {problem}
        </p>
      )}
      {hydrated ? (
        picked.length > 0 && (
          <ul className="grid grid-cols-2 gap-2">
            {picked.map((item, index) => (
              <li key={item.preview} className="flex flex-col gap-1 rounded-lg border border-line p-2">
                {item.file.type.startsWith("video/") ? (
                  <video src={item.preview} muted className="aspect-video w-full rounded object-cover" aria-label={`Video ${index + 1}`} />
                ) : (
                  <img
                    src={item.preview}
                    alt={`Chosen file ${index + 1}: ${item.file.name}`}
                    className="aspect-video w-full rounded object-cover"
                  />
                )}
                <label htmlFor={`${id}-alt-${index}`} className="font-medium">{`Describe ${item.file.name} (alt text)`}</label>
                <textarea
                  id={`${id}-alt-${index}`}
                  name="alt"
                  rows={2}
                  maxLength={1500}
                  className="rounded border border-line bg-surface px-2 py-1"
                />
                <button type="button" onClick={() => remove(index)} className="self-start rounded-full border border-line px-3 py-1">
                  Remove<span className="sr-only">{` file ${index + 1}`}</span>
                </button>
              </li>
            ))}
          </ul>
        )
      ) : (
        <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-muted">
          <button type="submit" name="intent" value="attach" className="rounded-full border border-line px-3 py-1.5 font-semibold text-ink">
            Attach
          </button>
          to see the chosen files here, each with a field to describe it (alt text).
        </p>
      )}
    </div>
  );
}
