/** Identifiers in the Hub's formats. */
import { createHash, randomBytes } from 'node:crypto'

/** A stable 24-hex Mongo-style id derived from a name. */
export function objectId(seed: string): string {
  return createHash('sha1').update(seed).digest('hex').slice(0, 24)
}

/** A fresh 24-hex Mongo-style id, as the Hub gives a repo it creates. */
export function randomObjectId(): string {
  return randomBytes(12).toString('hex')
}

/** The public web address of a Space, as the Hub writes it in create, duplicate and 409 answers. */
export function spaceWebUrl(id: string): string {
  return `https://huggingface.co/spaces/${id}`
}
