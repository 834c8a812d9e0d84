import { CreativeGenerator } from "@/components/creative-generator";
import { defaultProviderId, listProviders } from "@/lib/server/providers/registry";

// Provider availability depends on runtime configuration (HF_TOKEN), not on the build.
export const dynamic = "force-dynamic";

export default function HomePage() {
  return (
    <main className="page">
      <header className="page-header">
        <h1>Ad Creative Generator</h1>
        <p>Describe the campaign, press Generate, and watch each creative arrive the moment it is ready.</p>
      </header>
      <CreativeGenerator providers={listProviders()} defaultProvider={defaultProviderId()} />
    </main>
  );
}
