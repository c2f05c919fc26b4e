import { expect } from "chai";
import { parseStackConfig } from "../../stacks";
import { mapSource, minimalSecrets } from "../helpers";
import { configError, problems, problemTexts } from "./helpers";

describe("where the certificates come from", () => {
    it("requires a certificate source when TLS is on", () => {
        const error = configError(() => parseStackConfig("staging", mapSource({ domain: "paas2.uninett.no", imageRepository: "registry.example.org/sikt/argus" }, minimalSecrets)));
        expect(error.message).to.contain("argus:tls: is on, but neither tlsSecretName nor certIssuer says where the certificate comes from.");
    });

    it("refuses a certificate Secret and an issuer together: cert-manager would refuse the second Ingress", () => {
        expect(problemTexts({ tlsSecretName: "argus-tls" })).to.deep.equal([
            'tlsSecretName: and certIssuer are both set: cert-manager would issue each Ingress its own certificate into the one Secret "argus-tls", and refuse the second.',
        ]);
    });

    it("refuses a certificate issuer or Secret on a stack whose TLS is off, instead of dropping it", () => {
        expect(problems({ tls: "false" })).to.deep.equal([
            'certIssuer: is set ("letsencrypt"), but tls is off: the Ingresses would serve plain HTTP and never use it. Fix: pulumi config rm --stack staging certIssuer (or pulumi config set --stack staging tls true)',
        ]);
        expect(problems({ tls: "false", certIssuer: "", tlsSecretName: "argus-tls" })).to.deep.equal([
            'tlsSecretName: is set ("argus-tls"), but tls is off: the Ingresses would serve plain HTTP and never use it. Fix: pulumi config rm --stack staging tlsSecretName (or pulumi config set --stack staging tls true)',
        ]);
        expect(problems({ tls: "false", certIssuer: "" })).to.deep.equal([]);
    });
});
